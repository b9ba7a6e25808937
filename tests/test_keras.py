"""dlbook_utils._keras.quiet_tensorflow: TensorFlow's C++ start-up log kept off the screen."""

import subprocess
import sys

import pytest

from dlbook_utils import _keras as T

def _python(code, tmp_path, *, fake=None, env=None):
    """Run ``code`` in a fresh interpreter; with ``fake``, a stand-in tensorflow/keras pair
    whose import runs ``fake`` is first on the path. Returns the finished process."""
    import os
    import subprocess
    import sys
    import textwrap

    path = [str(T.__file__).rsplit("/dlbook_utils/", 1)[0]]
    if fake is not None:
        for name in ("tensorflow", "keras"):
            (tmp_path / name).mkdir()
            (tmp_path / name / "__init__.py").write_text(
                textwrap.dedent(fake) if name == "tensorflow" else "")
        path.insert(0, str(tmp_path))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
        timeout=300, env={**os.environ, "PYTHONPATH": os.pathsep.join(path), **(env or {})})


def test_quiet_tensorflow_keeps_cpp_stderr_off_the_screen(tmp_path):
    # A stand-in for TensorFlow that writes to file descriptor 2 as its C++ code does.
    fake = """
        import logging
        import os
        os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called\\n")
        os.write(2, b"I0000 00:00:1.2 42 port.cc:153] oneDNN custom operations are on.\\n")
        get_logger = lambda: logging.getLogger("tensorflow")   # as TensorFlow has
    """
    code = """
        import sys
        from dlbook_utils import _keras as T
        T.quiet_tensorflow()
        sys.stderr.write("after the import, stderr works\\n")
        print(repr(T.STARTUP_LOG))
    """
    proc = _python(code, tmp_path, fake=fake)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "after the import, stderr works\n"
    assert "absl::InitializeLog" in proc.stdout and "port.cc:153] oneDNN" in proc.stdout


def test_quiet_tensorflow_shows_the_log_when_the_import_fails(tmp_path):
    fake = """
        import os
        os.write(2, b"E0000 libsomething.so: cannot open shared object file\\n")
        raise ImportError("stand-in TensorFlow failed to load")
    """
    proc = _python("from dlbook_utils import _keras as T; T.quiet_tensorflow()",
                   tmp_path, fake=fake)
    assert proc.returncode != 0
    assert "libsomething.so: cannot open shared object file" in proc.stderr
    assert "ImportError: stand-in TensorFlow failed to load" in proc.stderr


@pytest.mark.parametrize("onednn", ["1", "0"])
def test_real_tensorflow_import_writes_nothing_to_stderr(tmp_path, onednn):
    """With oneDNN forced on, TensorFlow 2.21 writes its start-up log on any x86-64 CPU;
    none of it reaches stderr, and training a layer afterwards writes nothing either."""
    code = """
        import numpy as np
        from dlbook_utils import _keras as T
        keras = T.quiet_tensorflow()
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
        model.compile("adam", "mse")
        model.fit(np.zeros((8, 4)), np.zeros((8, 2)), verbose=0)
        print("oneDNN" in T.STARTUP_LOG)
    """
    proc = _python(code, tmp_path, env={"TF_ENABLE_ONEDNN_OPTS": onednn})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    # The variable really changed what TensorFlow does: its log says so when it is on.
    assert proc.stdout.strip() == ("True" if onednn == "1" else "False")
