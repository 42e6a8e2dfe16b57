"""bench/load: a bounded load run against production settings with a mix of public
pages and API listings; it must end with zero errors and stable worker memory.

Memory: the workers' resident memory is read after a warm-up pass over the same mix
(imports done, templates compiled, caches filled) and again at the end. Stable means
no worker grew by more than --max-growth-mib and no worker was restarted.
"""

import argparse
import time

from bench.common import (
    Server,
    Workdir,
    add_server_arguments,
    build_site,
    check_tools,
    discover,
    exit_on_error,
    fetch,
    flush_redis,
    redis_available,
    run_wrk,
    say,
    site_env,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (60)")
    parser.add_argument(
        "--requests", type=int, default=50_000, help="stop after this many requests (50000)"
    )
    parser.add_argument("--warmup", type=int, default=15, help="seconds of warm-up (15)")
    parser.add_argument("--port", type=int, default=8205, help="port (8205)")
    parser.add_argument(
        "--max-growth-mib", type=float, default=20.0, help="allowed growth per worker (20)"
    )
    parser.add_argument(
        "--cold", action="store_true", help="full-page cache off (every request renders)"
    )
    add_server_arguments(parser, "reuse an earlier run's database and folder")
    return parser.parse_args()


def url_mix(found):
    """Public pages, directory searches and filters, search, and API listings."""
    directory = found["directory"]
    paths = ["/", found["events index"], "/events/?category=workshop", "/search/?q=oncology"]
    paths += found["events"][:5] + found["galleries"][:3]
    paths += [
        directory,
        f"{directory}?q=Benchmark+member+42",
        f"{directory}?q=member+7&page=2",
        f"{directory}?city=Lahore",
        f"{directory}?page=50",
    ]
    paths += [
        "/api/v2/events/",
        "/api/v2/events/?upcoming=true",
        "/api/v2/pages/?type=events.EventPage&limit=20",
        "/api/v2/people/",
        "/api/v2/galleries/",
        f"/api/v2/pages/{found['event_ids'][0]}/",
        "/api/v3/pages/?limit=20",
    ]
    return paths


def check_mix(server, paths):
    """Every address answers 200 before the load starts, or the run stops here."""
    bad = []
    for path in paths:
        status, _ = fetch(server.base_url + path, timeout=120)
        if status != 200:
            bad.append(f"{path} ({status})")
    return bad


def mib(kib):
    return kib / 1024


def main():
    args = parse_args()
    started = time.monotonic()
    wrk = check_tools()
    workdir = Workdir.create(keep=args.reuse)
    use_redis = redis_available()
    if not use_redis:
        say("warning: Redis or its Python client is not available: local-memory cache.")
    say(f"Working folder: {workdir.path}")
    env = site_env(workdir, use_redis)
    if not args.reuse:
        build_site(workdir, env, args.events, args.people, args.images)
    paths = url_mix(discover(env))
    if use_redis:
        flush_redis()
    server_env = site_env(workdir, use_redis, page_cache_seconds=0 if args.cold else 300)
    server = Server(
        workdir,
        server_env,
        args.port,
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        name="load",
    )
    with server:
        bad = check_mix(server, paths)
        if bad:
            say("Not every address answers 200: " + ", ".join(bad))
            return 1
        url = server.base_url + "/"
        run_wrk(wrk, url, args.warmup, args.connections, paths=paths)
        before = server.worker_rss_kib()
        say(f"Load: {len(paths)} addresses in turn, {args.connections} connections, ")
        say(f"      at most {args.duration} s or {args.requests} requests ...")
        result = run_wrk(
            wrk,
            url,
            args.duration,
            args.connections,
            paths=paths,
            max_requests=args.requests,
        )
        after = server.worker_rss_kib()
    return report(args, result, before, after, paths, use_redis, started)


def report(args, result, before, after, paths, use_redis, started):
    restarted = sorted(set(before) ^ set(after))
    growth = {pid: mib(after[pid] - before[pid]) for pid in before if pid in after}
    worst = max(growth.values(), default=0.0)
    memory_ok = not restarted and worst <= args.max_growth_mib
    say("")
    say(
        f"gunicorn {args.workers} {args.worker_class} workers, "
        f"{'Redis' if use_redis else 'local-memory'} cache, full-page cache "
        f"{'off' if args.cold else 'on'}; {len(paths)} addresses."
    )
    say("")
    say("| measure | value |")
    say("| --- | --- |")
    capped = args.requests and result.requests >= args.requests
    # wrk waits out its whole duration even when every thread stopped at the cap.
    rate = f"at least {result.rps:.0f}/s: the cap was reached" if capped else f"{result.rps:.0f}/s"
    say(f"| requests | {result.requests} in {result.seconds:.1f} s ({rate}) |")
    say(f"| latency p50 / p95 | {result.p50_ms:.1f} ms / {result.p95_ms:.1f} ms |")
    say(f"| non-2xx responses | {result.non_2xx} |")
    say(f"| socket errors | {result.socket_errors} |")
    for pid in sorted(before):
        end = f"{mib(after[pid]):.1f} MiB" if pid in after else "restarted"
        say(f"| worker {pid} RSS before / after | {mib(before[pid]):.1f} MiB / {end} |")
    say(
        f"| largest growth (limit {args.max_growth_mib:.0f} MiB) | {worst:+.1f} MiB"
        f"{'; workers restarted' if restarted else ''} |"
    )
    errors_ok = result.errors == 0 and result.requests > 0
    say("")
    say(f"zero errors: {'PASS' if errors_ok else 'FAIL'}")
    say(f"stable memory: {'PASS' if memory_ok else 'FAIL'}")
    say(f"Whole run: {time.monotonic() - started:.0f} s.")
    return 0 if errors_ok and memory_ok else 1


if __name__ == "__main__":
    exit_on_error(main)
