"""Help center benchmarks: search latency and article page latency, on SQLite and on
PostgreSQL, with 5,000 published articles in each of four languages (20,000 in all).

    make bench-help                                   the full run, ~10 min
    .venv/bin/python bench/helpcenter.py --articles 500 --backends sqlite    a quick one

1. **Search**: ``tiski.helpcenter.search.search`` timed in-process (stems, spelling
   corrections, ranking, highlighted snippets; everything a result page prints) for 400
   queries per language (bench/helpcenter_data.py says which). Baseline, same run and
   queries: a naive ``icontains`` LIKE scan. Target: p95 < 20 ms.
2. **Article page over HTTP**: one ``tiski run`` process on the same database; 1,000
   random article pages fetched one after another over a keep-alive connection, after a
   warm-up. Baseline, same server: ``/healthz`` (Django's bare request cost). Target:
   p95 < 30 ms.

The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from chat import Child, Postgres, free_port, healthy, percentile, say, stop_all

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable
SEARCH_TARGET_MS = 20.0
PAGE_TARGET_MS = 30.0
DATABASE = "postgres://postgres@127.0.0.1:5432/tiski_bench_help"


def run(env: dict[str, str], argv: list[str]) -> str:
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(argv[:2])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def fetch_all(port: int, paths: list[str]) -> tuple[list[float], dict[int, int]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    times: list[float] = []
    statuses: dict[int, int] = {}
    for path in paths:
        started = time.perf_counter()
        conn.request("GET", path, headers={"Accept-Language": "fi"})
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    conn.close()
    return times, statuses


def figures(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 50):6.2f}  p95 {percentile(values, 95):6.2f}  "
        f"p99 {percentile(values, 99):6.2f} ms"
    )


def backend(name: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    env = {**os.environ, "TISKI_DATA_DIR": str(work / name)}
    env.pop("REDIS_URL", None)
    (work / name).mkdir(parents=True, exist_ok=True)
    postgres = None
    if name == "postgresql":
        postgres = Postgres(args.database, prefix="tiski_bench_help")
        postgres.create()
        env["DATABASE_URL"] = args.database
    else:
        env.pop("DATABASE_URL", None)
    run(env, [str(BIN / "tiski"), "migrate", "-v", "0"])
    say(f"\n{name}: generating {args.articles:,} articles in each of 4 languages …")
    out = run(
        env,
        [
            *(PYTHON, str(BENCH / "helpcenter_data.py")),
            *("--articles", str(args.articles), "--queries", str(args.queries)),
        ],
    )
    data = json.loads(out.strip().splitlines()[-1])
    say(f"  generated in {data['generate_s']} s")
    ours = [t for lang in data["search"].values() for t in lang["ours_ms"]]
    naive = [t for lang in data["search"].values() for t in lang["naive_ms"]]
    say(f"  search, Tiski          {figures(ours)}")
    say(f"  search, naive LIKE     {figures(naive)}   (baseline)")
    for language, got in data["search"].items():
        total = len(got["ours_ms"])
        say(
            f"    {language}: p95 {percentile(got['ours_ms'], 95):5.2f} ms, found something for "
            f"{got['ours_found']}/{total} queries (naive: {got['naive_found']}/{total})"
        )
    port = free_port()
    server = Child(
        "tiski run", [str(BIN / "tiski"), "run", "--port", str(port)], env, work / f"{name}.log"
    )
    try:
        deadline = time.monotonic() + 60
        while not healthy(port):
            if server.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start{server.tail()}")
            time.sleep(0.2)
        pages = data["pages"]
        fetch_all(port, pages[:100])  # warm-up: templates, connections, caches
        page_times, statuses = fetch_all(port, pages)
        base_times, _ = fetch_all(port, ["/healthz"] * len(pages))
        home_times, home_statuses = fetch_all(port, data["homes"])
        # The first search of a language builds its vocabulary (once per process and
        # change); the rate limit (120 a minute per address) bounds the sample.
        searches = data["searches"]
        fetch_all(port, [searches[n * 50] for n in range(4)])
        search_times, search_statuses = fetch_all(port, searches[1:50] + searches[51:100])
    finally:
        server.stop(timeout=10)
        if postgres is not None and not args.keep:
            postgres.drop()
    say(f"  article page, HTTP     {figures(page_times)}   answers {statuses}")
    say(f"  /healthz, same server  {figures(base_times)}   (baseline)")
    say(f"  home page, HTTP        {figures(home_times)}   answers {home_statuses}")
    say(f"  search page, HTTP      {figures(search_times)}   answers {search_statuses}")
    return {
        "search_p95": percentile(ours, 95),
        "naive_p95": percentile(naive, 95),
        "page_p95": percentile(page_times, 95),
        "page_median": statistics.median(page_times),
        "healthz_p95": percentile(base_times, 95),
        "all_ok": set(statuses) == {200},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000, help="per language")
    parser.add_argument("--queries", type=int, default=400, help="per language")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    missed = False
    with tempfile.TemporaryDirectory(prefix="tiski-bench-help-") as folder:
        try:
            results = {name: backend(name, args, Path(folder)) for name in args.backends.split(",")}
        finally:
            stop_all()
    say("\nsummary (targets: search p95 < 20 ms, article page p95 < 30 ms)")
    for name, got in results.items():
        ratio = got["naive_p95"] / got["search_p95"] if got["search_p95"] else float("nan")
        say(
            f"  {name:<10} search p95 {got['search_p95']:6.2f} ms (naive LIKE "
            f"{got['naive_p95']:.2f} ms, {ratio:.1f}×)   article page p95 "
            f"{got['page_p95']:6.2f} ms (/healthz {got['healthz_p95']:.2f} ms)"
        )
        if got["search_p95"] >= SEARCH_TARGET_MS or got["page_p95"] >= PAGE_TARGET_MS:
            missed = True
        if not got["all_ok"]:
            say(f"  {name}: some article pages did not answer 200")
            missed = True
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
