"""The background processes, run for real: the database task worker and the scheduler.

Each test runs `manage.py` in separate processes against a temporary SQLite file
migrated for this module (the suite's own test database lives in memory, where
another process cannot see it), under the development settings that `make run` uses:
tasks go to the database queue and only a worker process runs them.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
TIMEOUT = 120

PUBLISH_PAGE = """
from wagtail.models import Page
page = Page.objects.get(depth=2)
page.title = "Tamoxifen adherence workshop"
page.save_revision().publish()
"""

QUEUE_STATE = """
import json
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page
print(json.dumps({
    "statuses": sorted(set(DBTaskResult.objects.values_list("status", flat=True))),
    "tasks": sorted(set(DBTaskResult.objects.values_list("task_path", flat=True))),
    "found": [p.title for p in Page.objects.search("tamoxifen")],
}))
"""


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("background")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'site.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "migrate", "--noinput")
    return env


def manage(env, *args):
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def queue_state(env):
    return json.loads(manage(env, "shell", "-c", QUEUE_STATE).strip().splitlines()[-1])


def test_tasks_wait_in_the_queue_until_a_worker_runs_them(site_env):
    manage(site_env, "shell", "-c", PUBLISH_PAGE)
    before = queue_state(site_env)
    # Publishing queued the search index and reference index updates, and ran neither.
    assert before["statuses"] == ["READY"]
    assert "modelsearch.tasks.insert_or_update_object_task" in before["tasks"]
    assert "wagtail.tasks.update_reference_index_task" in before["tasks"]
    assert before["found"] == []

    output = manage(site_env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")

    after = queue_state(site_env)
    assert after["statuses"] == ["SUCCESSFUL"], output
    assert after["found"] == ["Tamoxifen adherence workshop"]


def test_scheduler_stops_cleanly_on_sigterm(site_env):
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler"],
        cwd=BASE_DIR,
        env=site_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first_line = process.stdout.readline()
        assert "Scheduler started" in first_line
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "Scheduler stopped." in output
