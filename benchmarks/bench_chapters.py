"""Time each chapter's full execution in a fresh kernel, and print a table.

    python benchmarks/bench_chapters.py [--save DIR] [chapter.ipynb ...]

Each notebook runs top to bottom with nbclient, as the book build and nbval run it
(goals: each chapter under 3 minutes on 2 cores, issues #3 and #4; the MNIST chapter's
full run under 10 minutes, issue #5). ``--save DIR`` writes the executed notebooks there,
to read their printed and glued numbers.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = {"cnn_mnist.ipynb": 600.0}  # every other chapter: 180 s


def main(paths, save=None):
    notebooks = [Path(p) for p in paths] or sorted((ROOT / "chapters").glob("*.ipynb"))
    rows = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=1800, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        rows.append((path.name, time.perf_counter() - start))
        if save:
            Path(save).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, Path(save) / path.name)
    print(f"\n{os.cpu_count()} CPUs; each chapter in a fresh kernel")
    print(f"{'chapter':<28} {'seconds':>8} {'goal s':>7}  met")
    print(f"{'-' * 28} {'-' * 8} {'-' * 7}  ---")
    for name, seconds in rows:
        goal = GOAL_S.get(name, 180.0)
        print(f"{name:<28} {seconds:>8.1f} {goal:>7.0f}  {'yes' if seconds <= goal else 'NO'}")


if __name__ == "__main__":
    args = sys.argv[1:]
    save_dir = None
    if args[:1] == ["--save"]:
        save_dir, args = args[1], args[2:]
    main(args, save_dir)
