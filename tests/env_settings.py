"""Read settings in a fresh interpreter with exactly the environment given.

Settings are evaluated once per process, so a setting that comes from the
environment is checked by starting Python with that environment.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-tests-only",
    "DJANGO_ALLOWED_HOSTS": "smopak.com",
}
PRINT = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name, None) for name in %r}, default=str))
"""


def clean_environment(env, module):
    """Only PATH, the settings module and `env`: nothing leaks in from the shell."""
    return {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": module, **env}


def start_python(args, module, env):
    """Start the project's Python with `args` (e.g. ["-c", code]) and exactly `env`."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean_environment(env, module),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_scenarios(scenarios, timeout=180):
    """{name: (exit code, stdout, stderr)} for {name: (args, module, env)}, run in parallel."""
    processes = {name: start_python(*scenario) for name, scenario in scenarios.items()}
    results = {}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=timeout)
        results[name] = (process.returncode, stdout, stderr)
    return results


def json_printed_by(code, env, module="cms.settings.production"):
    """The JSON that `code` prints last, run under `module` with `env` as the environment."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean_environment(env, module),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def settings_from_env(names, env, module="cms.settings.production"):
    """The named settings under `module`, with `env` as the whole environment."""
    return json_printed_by(PRINT % (list(names),), env, module)
