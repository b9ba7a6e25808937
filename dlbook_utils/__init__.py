"""dlbook_utils: the helper package behind the dlbook chapters.

Importing the package loads only NumPy. Submodules that need matplotlib,
ipywidgets or TensorFlow are imported on first use::

    import dlbook_utils as dlb
    dlb.activations.sigmoid(0.0)     # numpy only
    dlb.notebook.setup_notebook()    # imports matplotlib now

The package has no import-time side effects: no seeds are set, no matplotlib
settings change, until a chapter calls :func:`dlbook_utils.notebook.setup_notebook`.
"""

from __future__ import annotations

import importlib

from . import activations

__version__ = "0.1.0"
__all__ = ["activations", "basics", "data", "evidence", "initialization", "models", "notebook",
           "plotting", "regularization", "training", "widgets"]

_LAZY = set(__all__) - {"activations"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
