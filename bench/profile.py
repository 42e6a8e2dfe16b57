"""Where a cold request spends its time: bench/profile [--pyinstrument] [PATH ...]

Runs inside one process under the benchmark's settings, against the database a
bench/run left behind (smop_bench), with the full-page cache off. For each path it
prints the median time of a few requests and the number of database queries; with
--pyinstrument (requirements-dev.txt) it also prints a call-tree profile of one request.
"""

import argparse
import os
import statistics
import sys
import time

import django
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.common import DB_NAME, PG_URL, REDIS_URL

DEFAULT_PATHS = [
    "/",
    "/events/",
    "/member-directory/?q=Benchmark+member+42",
    "/api/v2/events/",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per path (5)")
    parser.add_argument("--pyinstrument", action="store_true", help="print a call tree")
    parser.add_argument("--queries", action="store_true", help="print every query")
    parser.add_argument(
        "--redis", action="store_true", help=f"cache in Redis ({REDIS_URL}), as served"
    )
    return parser.parse_args()


def setup_django(redis):
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("DATABASE_URL", f"{PG_URL}/{DB_NAME}")
    os.environ["SMOP_PAGE_CACHE_SECONDS"] = "0"
    if redis:
        os.environ["REDIS_URL"] = REDIS_URL
    else:
        os.environ.pop("REDIS_URL", None)
    django.setup()


def profile_path(client, path, args):
    headers = {"HTTP_X_FORWARDED_PROTO": "https"}
    client.get(path, **headers)  # first request: imports, template compilation
    times, cpu_times = [], []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path, **headers)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
    print(
        f"{path}: {response.status_code}, median {statistics.median(times):.1f} ms "
        f"({statistics.median(cpu_times):.1f} ms of CPU in this process), "
        f"{len(queries)} queries"
    )
    if args.queries:
        for query in queries.captured_queries:
            print(f"    {query['time']}s {query['sql'][:300]}")
    if args.pyinstrument:
        from pyinstrument import Profiler  # noqa: PLC0415 - a dev tool, only when asked

        profiler = Profiler(interval=0.0005)
        with profiler:
            client.get(path, **headers)
        print(profiler.output_text(unicode=True, color=False, show_all=False))


def main():
    args = parse_args()
    setup_django(args.redis)
    client = Client(HTTP_HOST="127.0.0.1")
    for path in args.paths:
        profile_path(client, path, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
