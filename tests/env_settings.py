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


def settings_from_env(names, env, module="cms.settings.production"):
    """The named settings under `module`, with `env` as the whole environment."""
    environment = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": module, **env}
    result = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-c", PRINT % (list(names),)],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
