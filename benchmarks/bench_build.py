"""Time the book and the tests, and print a table you can quote.

    python benchmarks/bench_build.py [--skip-tests]

Measures, on this machine:
  1. a clean build of the HTML book (fresh output folder: every notebook executed),
  2. a cached rebuild of the same folder with nothing changed,
  3. the whole test suite (`python -m pytest`, as `make test` runs it).
Goals (issue #2): cached rebuild <= 10 s, test suite <= 10 min on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOALS = {"cached rebuild": 10.0, "test suite": 600.0}


def timed(cmd, **kwargs):
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kwargs)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"benchmark: {' '.join(map(str, cmd))} failed:\n{(proc.stdout + proc.stderr)[-4000:]}")
    return elapsed, proc.stdout + proc.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-tests", action="store_true", help="time only the builds")
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="dlbook-bench-"))
    build = [str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(out),
             "-W", "-n", "--keep-going"]
    rows = []
    t, _ = timed(build)
    rows.append(("clean build", t))
    t, _ = timed(build)
    rows.append(("cached rebuild", t))
    shutil.rmtree(out, ignore_errors=True)
    if not args.skip_tests:
        t, log = timed([sys.executable, "-m", "pytest", "-q"])
        summary = [ln for ln in log.splitlines() if " passed" in ln or " failed" in ln][-1:]
        rows.append(("test suite", t))
    print(f"\nmachine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{'step':<16} {'seconds':>8} {'goal':>8}  met")
    print(f"{'-' * 16} {'-' * 8} {'-' * 8}  ---")
    for name, seconds in rows:
        goal = GOALS.get(name)
        met = "" if goal is None else ("yes" if seconds <= goal else "NO")
        goal_text = "" if goal is None else f"{goal:.0f}"
        print(f"{name:<16} {seconds:>8.1f} {goal_text:>8}  {met}")
    if not args.skip_tests and summary:
        print(f"\ntests: {summary[0].strip()}")


if __name__ == "__main__":
    main()
