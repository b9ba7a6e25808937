"""TensorFlow and Keras, imported without their start-up log (used by every Keras helper)."""

from __future__ import annotations

import os

__all__ = ["quiet_tensorflow"]


#: What TensorFlow wrote to the process's standard error while it was imported (its C++
#: start-up log), kept here instead of being shown; empty before the first import.
STARTUP_LOG = ""


def quiet_tensorflow():
    """Import TensorFlow and Keras without their start-up log, and return ``keras``.

    Importing TensorFlow writes lines such as ``WARNING: All log messages before
    absl::InitializeLog() is called are written to STDERR`` and ``I0000 ...
    port.cc:153] oneDNN custom operations are on`` straight to file descriptor 2, from
    C++, on some CPUs and not on others. ``TF_CPP_MIN_LOG_LEVEL`` cannot silence them
    (they are written before absl's logging reads it), and in a Jupyter kernel they
    become a grey stderr box under the cell. So this function points descriptor 2 at a
    temporary file for the length of the import, then puts it back. What was written is
    kept in :data:`STARTUP_LOG` (and logged at DEBUG level by the ``dlbook_utils``
    logger); if the import fails, it is written out before the error is raised.
    TensorFlow's settings and numerics are untouched (``TF_ENABLE_ONEDNN_OPTS`` is not
    set). Every chapter and helper imports TensorFlow through this function. It also
    sets TensorFlow's Python logger to ERROR, which hides its retracing advice when a
    chapter trains several models in a loop.

    Returns
    -------
    module
        ``keras``.
    """
    global STARTUP_LOG
    import sys

    if "tensorflow" not in sys.modules or "keras" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        log = _import_with_fd2_captured()
        STARTUP_LOG += log
        if log:
            import logging

            logging.getLogger("dlbook_utils").debug("TensorFlow start-up log:\n%s", log)
    import keras
    import tensorflow as tf

    # TensorFlow's Python logger warns when a chapter builds several models in a loop
    # ("N out of the last M calls ... triggered tf.function retracing"): advice about
    # TensorFlow's internals, not about the reader's code. Errors still show.
    tf.get_logger().setLevel("ERROR")
    return keras


def _import_with_fd2_captured():
    """Import tensorflow and keras with file descriptor 2 sent to a temporary file;
    return what was written there."""
    import sys
    import tempfile

    for stream in (sys.stdout, sys.stderr, sys.__stderr__):
        if stream is not None:
            stream.flush()
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            import keras  # noqa: F401
            import tensorflow  # noqa: F401
        except BaseException:
            os.dup2(saved, 2)
            sink.seek(0)
            sys.stderr.write(sink.read().decode("utf-8", "replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        sink.seek(0)
        return sink.read().decode("utf-8", "replace")
