"""What bench/run and bench/load share: a throwaway database and media folder, the
seeded data, a gunicorn server under bench.settings, wrk, and worker memory.

Everything runs over loopback against PostgreSQL and Redis on this machine; nothing is
downloaded.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
GUNICORN = VENV_BIN / "gunicorn"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_ARGS = ["-h", "127.0.0.1", "-U", "postgres"]
DB_NAME = os.environ.get("BENCH_DB_NAME", "smop_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
HOST = "127.0.0.1"
# Behind the TLS proxy production expects: the proxy says the request came over HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
WRK_LUA = Path(__file__).resolve().parent / "wrk_report.lua"


def add_server_arguments(parser, reuse_help):
    """The options bench/run and bench/load share: wrk, gunicorn and the data sizes."""
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--worker-class", default="sync", choices=["sync", "gthread"], help="gunicorn (sync)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--reuse", metavar="DIR", help=reuse_help)


class BenchError(Exception):
    """A step failed; the message says which and where its log is."""


class ServerFailed(BenchError):
    """gunicorn did not start or did not answer."""


def say(message):
    print(message, flush=True)


def find_wrk():
    wrk = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
    if not wrk:
        raise BenchError(
            "wrk is not installed. On Debian or Ubuntu: sudo apt-get install wrk "
            "(on macOS: brew install wrk)."
        )
    return wrk


def check_tools():
    """The venv, wrk and PostgreSQL client tools, with how to get each."""
    if not PYTHON.exists():
        raise BenchError(f"No virtual environment at {PYTHON.parent.parent}: run `make install`.")
    for tool in ("dropdb", "createdb"):
        if not shutil.which(tool):
            raise BenchError(
                f"{tool} not found: install the PostgreSQL client (postgresql-client)."
            )
    return find_wrk()


def redis_available():
    """Redis answering on the benchmark's database and the Python client installed."""
    probe = (
        "import sys, redis; "
        f"sys.exit(0 if redis.Redis.from_url({REDIS_URL!r}, socket_timeout=2).ping() else 1)"
    )
    return subprocess.run([PYTHON, "-c", probe], check=False, capture_output=True).returncode == 0


def flush_redis():
    """Empty the benchmark's own Redis database (never any other)."""
    code = f"import redis; redis.Redis.from_url({REDIS_URL!r}).flushdb()"
    subprocess.run([PYTHON, "-c", code], check=True, capture_output=True)


@dataclass
class Workdir:
    path: Path

    @classmethod
    def create(cls, keep=None):
        path = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="smop-bench-"))
        for name in ("media", "static", "logs"):
            (path / name).mkdir(parents=True, exist_ok=True)
        return cls(path)

    def log(self, name):
        return self.path / "logs" / name


def site_env(workdir, use_redis, page_cache_seconds=None, extra=None):
    """The environment every command and the server run with."""
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "SMOP_PAGE_CACHE_SECONDS"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"{PG_URL}/{DB_NAME}",
        MEDIA_ROOT=str(workdir.path / "media"),
        BENCH_STATIC_ROOT=str(workdir.path / "static"),
        PYTHONPATH=str(ROOT),
    )
    if use_redis:
        env["REDIS_URL"] = REDIS_URL
    if page_cache_seconds is not None:
        env["SMOP_PAGE_CACHE_SECONDS"] = str(page_cache_seconds)
    env.update(extra or {})
    return env


def run_logged(args, env, log_path, what):
    with open(log_path, "ab") as log:
        result = subprocess.run(
            args, check=False, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    if result.returncode != 0:
        raise BenchError(f"{what} failed (exit {result.returncode}); see {log_path}")


def manage(workdir, env, *args):
    log = workdir.log(f"manage-{args[0]}.log")
    started = time.monotonic()
    run_logged([PYTHON, "manage.py", *args], env, log, f"manage.py {' '.join(args)}")
    return time.monotonic() - started


def recreate_database():
    subprocess.run(["dropdb", *PG_ARGS, "--if-exists", "--force", DB_NAME], check=True)
    subprocess.run(["createdb", *PG_ARGS, DB_NAME], check=True)


def analyze_database():
    """Planner statistics for the freshly loaded tables, as autovacuum keeps them in production.

    Without them PostgreSQL guesses row counts and may pick nested scans that no real
    deployment would run (the directory search's photo join, for one).
    """
    subprocess.run(["psql", *PG_ARGS, "--quiet", "-c", "VACUUM ANALYZE", DB_NAME], check=True)


def seed_bench_available():
    return any(ROOT.glob("*/management/commands/seed_bench.py"))


def build_site(workdir, env, events, people, images, fresh=True):
    """A fresh database with the demo site and the benchmark data, tasks done."""
    if fresh:
        say(f"Database {DB_NAME}: dropped and created again.")
        recreate_database()
    steps = [("migrate", ["migrate", "--noinput"]), ("seed_site", ["seed_site"])]
    if seed_bench_available():
        steps.append(
            (
                "seed_bench",
                [
                    "seed_bench",
                    "--events",
                    str(events),
                    "--people",
                    str(people),
                    "--images",
                    str(images),
                ],
            )
        )
    else:
        say(
            "seed_bench is not available (no seed_bench management command yet): "
            "measuring the demo site only, without the benchmark data."
        )
    steps.append(("db_worker", ["db_worker", "--batch", "--no-startup-delay", "--no-reload"]))
    steps.append(("collectstatic", ["collectstatic", "--noinput", "--verbosity", "0"]))
    for name, args in steps:
        seconds = manage(workdir, env, *args)
        say(f"  {name}: {seconds:.0f} s")
    analyze_database()
    say("  VACUUM ANALYZE: done")


class Server:
    """gunicorn serving bench.settings on one loopback port; a context manager."""

    def __init__(self, workdir, env, port, workers=2, worker_class="sync", threads=1, name=""):
        self.workdir, self.env, self.port = workdir, env, port
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.log_path = workdir.log(f"gunicorn-{name or port}.log")
        self.process = None

    @property
    def base_url(self):
        return f"http://{HOST}:{self.port}"

    def __enter__(self):
        args = [
            GUNICORN,
            "cms.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
            "--error-logfile",
            str(self.log_path),
            "--log-level",
            "warning",
            # The first request for a listing makes its image renditions; on a busy
            # machine that can pass gunicorn's default 30 s, which would kill the worker.
            "--timeout",
            "180",
            # Accept the proxy header from loopback, as behind a local TLS proxy.
            "--forwarded-allow-ips",
            HOST,
        ]
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self.wait_ready()
        return self

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(
                    f"gunicorn exited with {self.process.returncode}; see {self.log_path}"
                )
            try:
                status, _ = fetch(self.base_url + "/bench/minimal/", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise ServerFailed(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss_kib(self):
        """Resident memory of each worker, in KiB (from /proc, Linux only)."""
        sizes = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[pid] = int(line.split()[1])
        return sizes

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, *exc):
        self.stop()


# Printed by `manage.py shell` under the benchmark's settings: the pages to request,
# taken from the data rather than hard-coded slugs, newest first (benchmark data when
# seed_bench ran, the demo site's otherwise).
DISCOVER = """
import json
from events.models import EventIndexPage, EventPage
from gallery.models import GalleryPage
from people.models import MemberDirectoryPage
def newest(model, count=1):
    return list(model.objects.live().public().order_by("-pk")[:count])
events = newest(EventPage, 10)
print("BENCH_URLS " + json.dumps({
    "events index": [p.url for p in newest(EventIndexPage)][0],
    "events": [p.url for p in events],
    "event_ids": [p.pk for p in events],
    "directory": [p.url for p in newest(MemberDirectoryPage)][0],
    "galleries": [p.url for p in newest(GalleryPage, 5)],
}))
"""


def discover(env):
    """Addresses of live pages to measure, found in the database."""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", DISCOVER],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH_URLS ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"could not find the pages to measure: {result.stderr.strip()[-2000:]}")
    return json.loads(line.removeprefix("BENCH_URLS "))


def fetch(url, timeout=30):
    """GET a URL as the proxy would forward it; (status, body)."""
    request = urllib.request.Request(url, headers=PROXY_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def fetch_json(url):
    status, body = fetch(url)
    if status != 200:
        raise BenchError(f"GET {url} answered {status}")
    return json.loads(body)


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self):
        return self.non_2xx + self.socket_errors


def run_wrk(wrk, url, seconds, connections, threads=2, paths=None, max_requests=0):
    """wrk against one URL (or a rotating list of paths on the same host)."""
    threads = min(threads, connections)
    per_thread = -(-max_requests // threads) if max_requests else 0
    headers = []
    for name, value in PROXY_HEADERS.items():
        headers += ["-H", f"{name}: {value}"]
    args = [
        wrk,
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_LUA),
        *headers,
        url,
    ]
    env = dict(os.environ, WRK_PATHS="\n".join(paths or []), WRK_MAX_PER_THREAD=str(per_thread))
    result = subprocess.run(args, check=False, capture_output=True, text=True, env=env)
    line = next(
        (line for line in result.stdout.splitlines() if line.startswith("WRK_JSON ")), None
    )
    if result.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {url}: {result.stderr.strip() or result.stdout.strip()}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        non_2xx=data["non_2xx"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
    )


def exit_on_error(main):
    """Run main(); a BenchError prints its message and exits 1 (2 if the server failed)."""
    try:
        sys.exit(main())
    except ServerFailed as error:
        print(f"ERROR: {error}", file=sys.stderr)
        sys.exit(2)
    except BenchError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
