#!/usr/bin/env bash
# Run the tests that TensorFlow's numerics can change (unit tests, doctests and every chapter
# under nbval: the book's claims that rest on training are asserted there) under TensorFlow
# settings that differ from machine to machine:
#   TF_ENABLE_ONEDNN_OPTS   oneDNN custom operations forced on (1) or off (0); TensorFlow's
#                           default depends on the CPU, and they change the rounding;
#   TF_NUM_INTRAOP_THREADS  1 or 2 threads inside each operation (reduction order).
# Usage: scripts/test_matrix.sh [--no-chapters] [ONEDNN:THREADS ...]
#        (default: all four of 0:1 0:2 1:1 1:2). --no-chapters leaves out the chapters.
# CI runs the setting 0:1 after `make test` (which forces oneDNN on), so every chapter's
# asserted claims run under two TensorFlow settings. Two pytest-xdist workers, as make test.
# Prints one line per setting and fails if any fails. The book build and the browsers are
# left to `make test` (they do not depend on these settings beyond the chapters' execution).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
ignore=(--ignore=tests/test_book.py --ignore=tests/test_book_browser.py
        --ignore=tests/test_jupyterlab.py --ignore=tests/test_editions.py)
if [[ ${1:-} == --no-chapters ]]; then
    ignore+=("--ignore-glob=*.ipynb")   # (--ignore does not drop a testpaths entry)
    shift
fi
settings=("$@")
[[ ${#settings[@]} -gt 0 ]] || settings=(0:1 0:2 1:1 1:2)
status=0
summary=()
for s in "${settings[@]}"; do
    if [[ ! $s =~ ^[01]:[1-9][0-9]*$ ]]; then
        echo "test_matrix: a setting is ONEDNN:THREADS with ONEDNN 0 or 1 and THREADS >= 1; got '$s'" >&2
        exit 2
    fi
    onednn=${s%%:*}; threads=${s##*:}
    echo "== TF_ENABLE_ONEDNN_OPTS=$onednn TF_NUM_INTRAOP_THREADS=$threads"
    start=$SECONDS
    TF_ENABLE_ONEDNN_OPTS=$onednn TF_NUM_INTRAOP_THREADS=$threads \
        "$PY" -m pytest -q -n 2 --dist loadfile "${ignore[@]}" \
        | tee /tmp/dlbook-matrix-$$.log
    rc=${PIPESTATUS[0]}
    last=$(grep -E "[0-9]+ (passed|failed)" /tmp/dlbook-matrix-$$.log | tail -1)
    summary+=("oneDNN=$onednn threads=$threads: rc=$rc, ${last//=/} ($((SECONDS - start)) s)")
    [[ $rc -eq 0 ]] || status=1
done
rm -f /tmp/dlbook-matrix-$$.log
printf '%s\n' "== summary" "${summary[@]}"
exit $status
