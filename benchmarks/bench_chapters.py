"""Time each chapter's full execution in a fresh kernel, and print a table.

    python benchmarks/bench_chapters.py [chapter.ipynb ...]

Each notebook runs top to bottom with nbclient, as the book build and nbval run it
(goal, issues #3 and #4: each chapter under 3 minutes on 2 cores).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 180.0


def main(paths):
    notebooks = [Path(p) for p in paths] or sorted((ROOT / "chapters").glob("*.ipynb"))
    rows = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=1800, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        rows.append((path.name, time.perf_counter() - start))
    print(f"\n{os.cpu_count()} CPUs; each chapter in a fresh kernel")
    print(f"{'chapter':<28} {'seconds':>8}  under {GOAL_S:.0f} s")
    print(f"{'-' * 28} {'-' * 8}  ---------")
    for name, seconds in rows:
        print(f"{name:<28} {seconds:>8.1f}  {'yes' if seconds <= GOAL_S else 'NO'}")


if __name__ == "__main__":
    main(sys.argv[1:])
