"""Time each chapter's execution in a fresh kernel, and print a table.

    python benchmarks/bench_chapters.py [--save DIR] [--test-setting] [--cells N]
                                        [chapter.ipynb ...]

Each notebook runs top to bottom with nbclient, as the book build and nbval run it
(goals: each chapter under 3 minutes on 2 cores; the MNIST chapter's full run under 10
minutes). ``--save DIR`` writes the executed notebooks there, to read their printed and
glued numbers. ``--test-setting`` runs them as the test suite does (``DLBOOK_QUICK=1``,
oneDNN forced on unless ``TF_ENABLE_ONEDNN_OPTS`` is set). ``--cells N`` also prints the
N slowest cells of each chapter (the profile behind any change to a chapter's cost).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = {"cnn_mnist.ipynb": 600.0}  # every other chapter: 180 s
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist.npz"


def cell_seconds(cell):
    """The seconds one executed cell took, from nbclient's timing metadata."""
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--save", type=Path, help="write the executed notebooks here")
    parser.add_argument("--test-setting", action="store_true",
                        help="run as the test suite does (DLBOOK_QUICK=1, oneDNN on)")
    parser.add_argument("--cells", type=int, default=0, metavar="N",
                        help="print each chapter's N slowest cells")
    args = parser.parse_args(argv)
    if args.cells < 0:
        parser.error(f"--cells must be >= 0; got {args.cells}")
    if args.test_setting:
        os.environ["DLBOOK_QUICK"] = "1"
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
    if "DLBOOK_MNIST_PATH" not in os.environ and SHARED_MNIST.is_file():
        os.environ["DLBOOK_MNIST_PATH"] = str(SHARED_MNIST)
    notebooks = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    rows, profiles = [], {}
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=1800, kernel_name="python3", record_timing=True,
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        rows.append((path.name, time.perf_counter() - start))
        code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        profiles[path.name] = sorted(((cell_seconds(c), i, c.source.split("\n", 1)[0][:60])
                                      for i, c in code), reverse=True)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, args.save / path.name)
    setting = ("test suite's setting (DLBOOK_QUICK=1)" if args.test_setting
               else "the reader's setting")
    print(f"\n{platform.node()}: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()};"
          f" {setting}; TF_ENABLE_ONEDNN_OPTS={os.environ.get('TF_ENABLE_ONEDNN_OPTS', 'unset')},"
          f" TF_NUM_INTRAOP_THREADS={os.environ.get('TF_NUM_INTRAOP_THREADS', 'unset')};"
          " each chapter in a fresh kernel")
    print(f"{'chapter':<28} {'seconds':>8} {'goal s':>7}  met")
    print(f"{'-' * 28} {'-' * 8} {'-' * 7}  ---")
    for name, seconds in rows:
        goal = GOAL_S.get(name, 180.0)
        print(f"{name:<28} {seconds:>8.1f} {goal:>7.0f}  {'yes' if seconds <= goal else 'NO'}")
    for name, cells in profiles.items():
        if args.cells:
            total = sum(s for s, _, _ in cells)
            print(f"\n{name}: the {min(args.cells, len(cells))} slowest of {len(cells)} code "
                  f"cells ({total:.1f} s in cells)")
            for seconds, index, first in cells[:args.cells]:
                print(f"  cell {index:>3} {seconds:>7.1f} s  {first}")


if __name__ == "__main__":
    main()
