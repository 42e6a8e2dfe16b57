"""Browser tests: headless Chromium, driven by Playwright, against a real running site.

The site under test is a separate `runserver` process on its own SQLite database and
media folder, built once per test session with `migrate`, `seed_site` and
`create_demo_users`. That keeps the seeded site apart from the test database the rest
of the suite rolls back, and exercises the site exactly as `make run` serves it.

Chromium is Debian's (`/usr/bin/chromium`); Playwright's own browser download is not
used. axe-core comes from `node_modules` (`npm ci`). Where either is missing, the tests
are skipped on a developer's machine and fail on CI (`CI=true`).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_SCRIPT = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WCAG 2.2 AA, and every level below it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SERVER_START_TIMEOUT = 60


def pytest_collection_modifyitems(items):
    # Everything under tests/browser/ is a browser test, whether marked or not.
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _missing(reason):
    """On CI a missing browser tool is a failure; on a developer's machine, a skip."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveSite:
    """A running copy of the seeded site, and a way to run commands against it."""

    base_url: str
    env: dict

    def url(self, path):
        return self.base_url + path

    def manage(self, *args):
        """Run a management command against the live site's database; return stdout."""
        result = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout


def _start(args, env, log_path):
    """Start a manage.py command in the background, its output going to a log file.

    A file rather than a pipe: nothing reads a pipe while tests run, and a full pipe
    would stall the server.
    """
    with open(log_path, "w") as log:
        return subprocess.Popen(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _wait_until_serving(url, process, log_path):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The site did not start:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The site did not answer on {url} within {SERVER_START_TIMEOUT}s")


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """The seeded demo site, served by `runserver` on a free loopback port."""
    workdir = tmp_path_factory.mktemp("live-site")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'site.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    site = LiveSite(base_url=f"http://127.0.0.1:{port}", env=env)
    site.manage("migrate", "--noinput")
    site.manage("seed_site")
    site.manage("create_demo_users")
    # As under `make run`, background tasks (search index, reference index) go to the
    # database queue: run what seeding queued now, then keep a worker running.
    site.manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    worker = _start(["db_worker", "--no-reload", "--interval", "1"], env, workdir / "worker.log")
    server_log = workdir / "server.log"
    process = _start(["runserver", "--noreload", f"127.0.0.1:{port}"], env, server_log)
    try:
        _wait_until_serving(site.url("/"), process, server_log)
        yield site
    finally:
        for running in (process, worker):
            running.terminate()
            running.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def desktop(chromium):
    """A fresh browser tab at desktop width, with no cookies."""
    context = chromium.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(chromium):
    """A fresh browser tab at a 390 px phone width, with no cookies."""
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_SCRIPT.exists():
        _missing(f"axe-core is not installed at {AXE_SCRIPT} (run `npm ci`).")
    return AXE_SCRIPT.read_text()


@pytest.fixture
def axe(axe_source):
    """Check the current page with axe-core; returns the WCAG 2.2 AA violations."""

    def check(page):
        # Evaluated through the DevTools protocol: an inline <script> tag would be
        # blocked by the site's Content-Security-Policy (script-src 'self').
        page.evaluate(f"() => {{ {axe_source}\n}}")
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        return result["violations"]

    return check


def describe_violations(violations):
    """A readable summary of axe violations for an assertion message."""
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {target}" for target in targets)
    return "\n".join(lines)


def page_overflows_sideways(page):
    """True when the page is wider than the viewport (a sideways scroll bar on a phone)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
