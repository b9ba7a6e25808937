"""Keep what nbval's kernels produce, so the book build does not run the chapters again.

nbval runs every chapter top to bottom in a real kernel, and the book build used to run them
all a second time (half of `make test`). This module listens to nbval's kernel messages and
turns them into executed notebooks with nbclient's own message handling
(``NotebookClient.process_message``: outputs, ``clear_output``, display updates, and the
widgets' state that the book's offline sliders need), exactly as the book build's executor
would. :func:`seed_jupyter_cache` then stores those notebooks in the book build's execution
cache, where myst-nb finds them by the hash of their code and does not execute again.

Only a notebook whose every code cell ran and passed under nbval in this session is kept;
otherwise the book build executes it itself, as before.

Each complete recording is written to a folder of this test session
(``$DLBOOK_RECORDINGS``, made by the first pytest process: see ``tests/conftest.py``), as
``<chapter>.ipynb``, and a chapter whose run failed, was skipped or was interrupted leaves
``<chapter>.failed`` there. So any pytest-xdist worker can read what another worker's nbval
run recorded: :func:`wait_for_notebooks` waits for the chapters this session runs under
nbval (:func:`expect`), and the book build and the JupyterLab test both read them.
"""

from __future__ import annotations

import copy
import os
import time
from pathlib import Path

import nbformat

try:  # nbval is a test dependency; without it nothing is recorded
    from nbval.kernel import RunningKernel
    from nbval.plugin import IPyNbCell, IPyNbFile
except ImportError:  # pragma: no cover
    IPyNbCell = IPyNbFile = RunningKernel = None


class _Recording:
    """One notebook as nbval runs it: a copy with the outputs nbclient would have stored."""

    def __init__(self, path, nb):
        from nbclient import NotebookClient

        self.path = Path(path)
        self.nb = copy.deepcopy(nb)
        for cell in self.nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        self.client = NotebookClient(self.nb, record_timing=False)
        self.client.reset_execution_trackers()     # the state process_message relies on
        self.client.clear_before_next_output = False   # set per cell by nbclient's executor
        self.code_cells = [i for i, c in enumerate(self.nb.cells) if c.cell_type == "code"]
        self.passed: set[int] = set()
        self.failed = False
        self.error = None
        self.current = None     # (cell index, msg_id) of the cell being run
        self.pending_cell = None

    def on_message(self, msg):
        from nbclient.exceptions import CellExecutionComplete

        if self.current is None:
            return
        index, msg_id = self.current
        if msg_id is None or msg.get("parent_header", {}).get("msg_id") != msg_id:
            return
        try:
            self.client.process_message(msg, self.nb.cells[index], index)
        except CellExecutionComplete:
            pass
        except Exception as exc:  # never break nbval's own check: just do not reuse this run
            self.failed = True
            self.error = f"{type(exc).__name__}: {exc}"

    def complete(self):
        return not self.failed and self.passed == set(self.code_cells)

    def executed_notebook(self):
        self.client.set_widgets_metadata()
        return self.nb


#: notebook path → its recording, for this pytest process
RECORDINGS: dict[Path, _Recording] = {}
_ACTIVE: dict[int, _Recording] = {}     # id(kernel) → the recording its cells feed
#: the chapters that this session runs under nbval (in some process): see expect()
EXPECTED: set[Path] = set()


def recording_dir():
    """The session's folder of recordings ($DLBOOK_RECORDINGS), or None outside one."""
    folder = os.environ.get("DLBOOK_RECORDINGS")
    return Path(folder) if folder else None


def _publish(rec):
    """Write a finished recording (or that it failed) where every worker can read it."""
    folder = recording_dir()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    if rec.complete():
        tmp = folder / f".{rec.path.stem}.ipynb.tmp"
        nbformat.write(nbformat.from_dict(copy.deepcopy(rec.executed_notebook())), tmp)
        tmp.replace(folder / f"{rec.path.stem}.ipynb")      # whole files only
    else:
        (folder / f"{rec.path.stem}.failed").write_text(
            f"recording error: {rec.error}\n" if rec.error else "a cell failed or was skipped\n")


def expect(paths):
    """Note the notebooks that this session runs under nbval (all cells selected)."""
    EXPECTED.update(Path(p).resolve() for p in paths)


def install():
    """Wrap nbval's cell runner and kernel (class level, once)."""
    if IPyNbCell is None or getattr(IPyNbCell, "_dlbook_recording", False):
        return
    IPyNbCell._dlbook_recording = True
    run_cell = IPyNbCell.runtest
    execute = RunningKernel.execute_cell_input
    get_message = IPyNbFile.get_kernel_message

    def runtest(self):
        parent = self.parent
        path = Path(str(parent.fspath)).resolve()
        rec = RECORDINGS.get(path)
        if rec is None:
            rec = RECORDINGS[path] = _Recording(path, parent.nb)
        index = rec.code_cells[self.cell_num]      # nbval counts code cells only
        rec.current = None
        rec.pending_cell = index
        rec.client.clear_before_next_output = False    # nbclient resets it for every cell
        if parent.kernel is not None:
            _ACTIVE[id(parent.kernel)] = rec
        try:
            run_cell(self)
        except BaseException:
            rec.failed = True       # failed, skipped or interrupted: not a complete run
            _publish(rec)
            raise
        else:
            rec.passed.add(index)
            if rec.complete():
                _publish(rec)
        finally:
            rec.current = rec.pending_cell = None

    def execute_cell_input(self, cell_input, allow_stdin=None):
        msg_id = execute(self, cell_input, allow_stdin=allow_stdin)
        rec = _ACTIVE.get(id(self))
        if rec is not None and rec.pending_cell is not None:
            rec.current = (rec.pending_cell, msg_id)
        return msg_id

    def get_kernel_message(self, timeout=None, stream="iopub"):
        msg = get_message(self, timeout=timeout, stream=stream)
        rec = _ACTIVE.get(id(self.kernel))
        if rec is not None and stream == "iopub":
            rec.on_message(msg)
        return msg

    IPyNbCell.runtest = runtest
    RunningKernel.execute_cell_input = execute_cell_input
    IPyNbFile.get_kernel_message = get_kernel_message


def wait_for_notebooks(paths, *, timeout=1800):
    """The executed notebooks for ``paths`` ({path: notebook}) once nbval has run every one
    of them completely in this session, in this process or another; None if one of them is
    not run under nbval in this session, or failed (the caller then executes them itself).
    """
    paths = [Path(p).resolve() for p in paths]
    folder = recording_dir()
    if folder is None or not set(paths) <= EXPECTED:
        return None
    deadline = time.monotonic() + timeout
    while True:
        if any((folder / f"{p.stem}.failed").exists() for p in paths):
            return None
        if all((folder / f"{p.stem}.ipynb").exists() for p in paths):
            return {p: nbformat.read(folder / f"{p.stem}.ipynb", as_version=4) for p in paths}
        if time.monotonic() > deadline:
            raise TimeoutError(f"nbval's runs of {[p.name for p in paths]} did not finish "
                               f"within {timeout} s (recordings in {folder})")
        time.sleep(1)


def seed_jupyter_cache(cache_dir, notebooks):
    """Store executed notebooks in a jupyter-cache folder (the one myst-nb reads)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir))
    for path, nb in notebooks.items():
        nb = nbformat.from_dict(copy.deepcopy(nb))
        cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"source": "nbval"}),
                                    check_validity=False, overwrite=True)
