"""Time the book and the tests, and print a table you can quote.

    python benchmarks/bench_build.py [--skip-tests | --tests-only] [--repeat N]
    python benchmarks/bench_build.py --chinese-from FOLDER [--repeat N]

Measures, on this machine:
  1. a clean build of the HTML book (fresh output folder: every notebook executed),
  2. a cached rebuild of the same folder with nothing changed,
  3. the whole test suite, as `make test` runs it (`python -m pytest -n 2 --dist loadfile`),
     N times (--repeat), each with pytest's own closing line,
  4. the inner loop, as `make check` runs it (unit tests and doctests), N times;
with --chinese-from FOLDER (a folder whose _build holds an English build, e.g. the
repository after `make book`), only what the Chinese edition adds (issue #22), N times:
its build from scratch (into a copy, so FOLDER is left as it was), its rebuild with
nothing changed, and the gettext build of the English messages (the test of the
catalogs runs it).
Goals: cached rebuild <= 10 s, test suite <= 600 s and inner loop <= 120 s on the
project's 2-core machine. Run it with nothing else on the machine.
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
GOALS = {"cached rebuild": 10.0, "test suite": 600.0, "make check": 120.0}
XDIST = ["-n", "2", "--dist", "loadfile"]           # as the Makefile runs pytest
CHECK = ["tests", "dlbook_utils", "--ignore=tests/test_book.py",
         "--ignore=tests/test_book_browser.py", "--ignore=tests/test_jupyterlab.py",
         "--ignore=tests/test_editions.py"]


def closing_line(log):
    """pytest's own closing line ("== 445 passed in 512.3s (0:08:32) ==")."""
    lines = [ln.strip(" =") for ln in log.splitlines()
             if (" passed" in ln or " failed" in ln) and " in " in ln]
    return lines[-1] if lines else "(no closing line)"


def timed(cmd, **kwargs):
    """Run ``cmd`` in the repository; its seconds and its output (stdout and stderr). The
    output goes to a file, so that a helper process left behind cannot hold us on a pipe."""
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True,
                              **kwargs)
        elapsed = time.perf_counter() - start
        log.seek(0)
        output = log.read()
    if proc.returncode != 0:
        sys.exit(f"benchmark: {' '.join(map(str, cmd))} failed:\n{output[-4000:]}")
    return elapsed, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--skip-tests", action="store_true", help="time only the builds")
    group.add_argument("--tests-only", action="store_true",
                       help="time only the test suite and the inner loop")
    group.add_argument("--chinese-from", metavar="FOLDER", type=Path,
                       help="time only the Chinese edition, from FOLDER's English build")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run the test suite and the inner loop N times (default 1)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat must be >= 1; got {args.repeat}")

    rows = []
    if args.chinese_from:
        english = args.chinese_from.resolve() / "_build"
        if not (english / "html" / "index.html").is_file() or not (english / ".jupyter_cache").is_dir():
            parser.error(f"--chinese-from: {english} holds no English build (run `make book`)")
        edition = [sys.executable, str(ROOT / "scripts" / "build_edition.py"), str(ROOT)]
        for i in range(args.repeat):
            out = Path(tempfile.mkdtemp(prefix="dlbook-bench-zh-"))
            (out / "_build").mkdir()
            for part in ("html", ".jupyter_cache", "jupyter_execute"):
                if (english / part).exists():
                    shutil.copytree(english / part, out / "_build" / part, symlinks=True,
                                    ignore=shutil.ignore_patterns("zh"))
            t, _ = timed([*edition, "--path-output", str(out)])
            rows.append(("zh build", t, "from scratch"))
            t, _ = timed([*edition, "--path-output", str(out)])
            rows.append(("zh rebuild", t, "nothing changed"))
            t, _ = timed([*edition, "--path-output", str(out), "--gettext"])
            rows.append(("gettext", t, "the English messages"))
            print(f"Chinese edition, run {i + 1}: " + ", ".join(
                f"{n} {s:.1f} s" for n, s, _ in rows[-3:]), flush=True)
            shutil.rmtree(out, ignore_errors=True)
    elif not args.tests_only:
        out = Path(tempfile.mkdtemp(prefix="dlbook-bench-"))
        build = [str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(out),
                 "-W", "-n", "--keep-going"]
        t, _ = timed(build)
        rows.append(("clean build", t, ""))
        t, _ = timed(build)
        rows.append(("cached rebuild", t, ""))
        shutil.rmtree(out, ignore_errors=True)
    if not args.skip_tests and not args.chinese_from:
        for i in range(args.repeat):
            t, log = timed([sys.executable, "-m", "pytest", *XDIST])
            rows.append(("test suite", t, closing_line(log)))
            print(f"test suite, run {i + 1}: {t:.1f} s, {closing_line(log)}", flush=True)
        for i in range(args.repeat):
            t, log = timed([sys.executable, "-m", "pytest", *XDIST, "-q", *CHECK])
            rows.append(("make check", t, closing_line(log)))
            print(f"make check, run {i + 1}: {t:.1f} s, {closing_line(log)}", flush=True)
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo")
                if ln.startswith("model name")), platform.processor()) \
        if Path("/proc/cpuinfo").is_file() else platform.processor()
    print(f"\nmachine: {platform.node()}, {os.cpu_count()} CPUs ({cpu}), "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'step':<16} {'seconds':>8} {'goal':>6}  met  pytest's closing line / what")
    print(f"{'-' * 16} {'-' * 8} {'-' * 6}  ---  {'-' * 21}")
    for name, seconds, line in rows:
        goal = GOALS.get(name)
        met = "" if goal is None else ("yes" if seconds <= goal else "NO")
        goal_text = "" if goal is None else f"{goal:.0f}"
        print(f"{name:<16} {seconds:>8.1f} {goal_text:>6}  {met:<3}  {line}")


if __name__ == "__main__":
    main()
