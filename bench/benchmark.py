"""bench/run: serve the site with production settings and measure it against a minimal
Django view served by the same gunicorn in the same run (see docs/performance.md).

Cold: the full-page cache is off (SMOP_PAGE_CACHE_SECONDS=0), so every request renders
through views, templates and the database. Warm: the full-page cache is on, in Redis.
"""

import argparse
import os
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

MINIMAL = "/bench/minimal/"
CEILING = "minimal view (ceiling)"
PUBLIC_PAGES = ("home", "events index", "event", "directory search", "gallery")
API_LISTINGS = ("API events listing",)
WARM_GOAL, COLD_GOAL, SEARCH_P95_GOAL_MS = 0.3, 0.07, 150.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per URL (2)")
    parser.add_argument("--port", type=int, default=8200, help="first of two ports (8200)")
    parser.add_argument(
        "--directory-query", default="Benchmark member 42", help="the directory search's ?q="
    )
    add_server_arguments(
        parser, "reuse the database and this folder from an earlier run (skips building)"
    )
    return parser.parse_args()


def measured_urls(found, directory_query):
    """The seven addresses measured, from what discover() found."""
    query = "+".join(directory_query.split())
    return {
        "home": "/",
        "events index": found["events index"],
        "event": found["events"][0],
        "directory search": f"{found['directory']}?q={query}",
        "gallery": found["galleries"][0],
        "API events listing": "/api/v2/events/",
        "API page detail": f"/api/v2/pages/{found['event_ids'][0]}/",
    }


def prime(server, urls):
    """Request every page once: renditions are generated and a broken URL shows up now."""
    for name, path in urls.items():
        status, _ = fetch(server.base_url + path, timeout=120)
        if status != 200:
            say(f"  warning: {name} ({path}) answered {status}")


def drain(server):
    """Wait for requests wrk left queued, so they do not slow the next measurement.

    gunicorn's sync workers finish every request they accepted even after wrk hung up;
    a few sequential requests return only once the queue ahead of them is served.
    """
    for _ in range(server.workers + 1):
        fetch(server.base_url + MINIMAL, timeout=120)


def measure(wrk, server, path, args):
    url = server.base_url + path
    if args.warmup:
        run_wrk(wrk, url, args.warmup, args.connections)
        drain(server)
    result = run_wrk(wrk, url, args.duration, args.connections)
    drain(server)
    return result


def measure_phase(wrk, server, urls, args, label):
    """Every URL, between two measurements of the minimal view.

    The ceiling is the better of the two: other work on the machine during the phase
    then lowers the ratios rather than raising them.
    """
    first = measure(wrk, server, MINIMAL, args)
    say(f"  {label:4} {'minimal view':24} {first.rps:8.1f} req/s")
    results = {}
    for name, path in urls.items():
        results[name] = measure(wrk, server, path, args)
        say(f"  {label:4} {name:24} {results[name].rps:8.1f} req/s")
    last = measure(wrk, server, MINIMAL, args)
    say(f"  {label:4} {'minimal view again':24} {last.rps:8.1f} req/s")
    return {CEILING: max(first, last, key=lambda result: result.rps), **results}


def fmt_row(name, path, cold, warm, ceiling):
    cells = [f"{name} `{path}`"]
    for result, top in ((cold, ceiling["cold"]), (warm, ceiling["warm"])):
        ratio = result.rps / top.rps if top.rps else 0.0
        cells += [
            f"{result.rps:.0f}",
            f"{result.p50_ms:.1f}",
            f"{result.p95_ms:.1f}",
            str(result.errors),
            f"{ratio:.2f}",
        ]
    return "| " + " | ".join(cells) + " |"


def report(urls, cold, warm, args, server_desc):
    ceiling = {"cold": cold[CEILING], "warm": warm[CEILING]}
    say("")
    say(
        f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[1]:.1f} "
        "over the last 5 minutes (other work on the machine lowers every figure)."
    )
    say(
        f"{server_desc}; wrk {args.connections} connections, {args.duration} s per URL "
        f"after {args.warmup} s warm-up. Latency in ms; errors = non-2xx + socket errors; "
        "ratio = requests/s over the minimal view's in the same phase (the better of its "
        "two measurements, at the start and the end of the phase)."
    )
    say("")
    say(
        "| URL | cold req/s | cold p50 | cold p95 | cold errors | cold ratio "
        "| warm req/s | warm p50 | warm p95 | warm errors | warm ratio |"
    )
    say("| --- " + "| ---: " * 10 + "|")
    paths = {CEILING: MINIMAL, **urls}
    for name, path in paths.items():
        say(fmt_row(name, path, cold[name], warm[name], ceiling))
    return goals(cold, warm, ceiling)


def goals(cold, warm, ceiling):
    def ratio(results, phase, name):
        return results[name].rps / ceiling[phase].rps if ceiling[phase].rps else 0.0

    warm_low = min(PUBLIC_PAGES, key=lambda n: ratio(warm, "warm", n))
    cold_names = PUBLIC_PAGES + API_LISTINGS
    cold_low = min(cold_names, key=lambda n: ratio(cold, "cold", n))
    search = cold["directory search"]
    everything = [*cold.values(), *warm.values()]
    errors = sum(r.errors for r in everything)
    empty = sum(1 for r in everything if r.requests == 0)
    checks = [
        (
            f"warm public pages >= {WARM_GOAL} of the minimal view",
            ratio(warm, "warm", warm_low) >= WARM_GOAL,
            f"lowest: {warm_low} {ratio(warm, 'warm', warm_low):.2f}",
        ),
        (
            f"cold public pages and API listings >= {COLD_GOAL} of the minimal view",
            ratio(cold, "cold", cold_low) >= COLD_GOAL,
            f"lowest: {cold_low} {ratio(cold, 'cold', cold_low):.2f}",
        ),
        (
            f"directory search p95 < {SEARCH_P95_GOAL_MS:.0f} ms (cold, 8 connections)",
            0 < search.p95_ms < SEARCH_P95_GOAL_MS and search.requests > 0,
            f"p95 {search.p95_ms:.1f} ms",
        ),
        (
            "no errors in any measurement, and none without a response",
            errors == 0 and empty == 0,
            f"{errors} errors, {empty} measurements with no response",
        ),
    ]
    say("")
    say("| goal | result | figure |")
    say("| --- | --- | --- |")
    for text, passed, figure in checks:
        say(f"| {text} | {'PASS' if passed else 'FAIL'} | {figure} |")
    return all(passed for _, passed, _ in checks)


def main():
    args = parse_args()
    if args.connections != 8:
        say("note: the directory search goal is defined at 8 connections.")
    started = time.monotonic()
    wrk = check_tools()
    workdir = Workdir.create(keep=args.reuse)
    use_redis = redis_available()
    if not use_redis:
        say(
            "warning: Redis (redis://127.0.0.1:6379/6) or its Python client is not "
            "available: caching in each worker's local memory instead."
        )
    say(f"Working folder: {workdir.path}")
    env = site_env(workdir, use_redis)
    if not args.reuse:
        build_site(workdir, env, args.events, args.people, args.images)
    urls = measured_urls(discover(env), args.directory_query)
    server_desc = (
        f"gunicorn {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + (", Redis cache" if use_redis else ", local-memory cache")
    )
    phases = {}
    for offset, (label, seconds) in enumerate((("cold", 0), ("warm", 300))):
        if use_redis:
            flush_redis()
        phase_env = site_env(workdir, use_redis, page_cache_seconds=seconds)
        server = Server(
            workdir,
            phase_env,
            args.port + offset,
            workers=args.workers,
            worker_class=args.worker_class,
            threads=args.threads,
            name=label,
        )
        with server:
            say(f"Measuring {label} on {server.base_url} ...")
            prime(server, urls)
            phases[label] = measure_phase(wrk, server, urls, args, label)
    passed = report(urls, phases["cold"], phases["warm"], args, server_desc)
    say("")
    say(f"Whole run: {time.monotonic() - started:.0f} s. Logs in {workdir.path / 'logs'}.")
    say("All goals met." if passed else "Some goals not met (figures above).")
    return 0


if __name__ == "__main__":
    exit_on_error(main)
