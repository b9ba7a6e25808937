"""Run a benchmark step in its own Python process and read back its result line."""

from __future__ import annotations

import json
import subprocess
import sys

MARKER = "RESULT "


def run_isolated(script, *args):
    """Run ``python SCRIPT ARGS...``, echo its output, and return the JSON value of the line
    it printed with :func:`report`; exit if it failed or printed none."""
    child = subprocess.Popen([sys.executable, str(script), *map(str, args)],
                             stdout=subprocess.PIPE, text=True)
    result = None
    for line in child.stdout:
        if line.startswith(MARKER):
            result = json.loads(line[len(MARKER):])
        else:
            print(line, end="", flush=True)
    if child.wait() != 0 or result is None:
        sys.exit(f"{script} {' '.join(map(str, args))} failed (exit status {child.returncode})")
    return result


def report(value):
    """Print ``value`` as the result line :func:`run_isolated` reads."""
    print(MARKER + json.dumps(value), flush=True)
