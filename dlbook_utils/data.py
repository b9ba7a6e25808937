"""MNIST, loaded the way Keras loads it (and offline from a local file), the book's one
train/validation split, and the arrays and ``tf.data`` pipelines the chapters train on.

:func:`load_mnist` looks for ``mnist.npz`` in this order:

1. the ``path`` argument;
2. the environment variable ``DLBOOK_MNIST_PATH`` (tests and CI point it at
   ``../shared/data/mnist.npz``);
3. the Keras cache, ``$KERAS_HOME/datasets/mnist.npz`` (default
   ``~/.keras/datasets/mnist.npz``), as ``keras.datasets.mnist.load_data()``
   leaves it;
4. a download from Keras' address into that cache, checked against Keras'
   SHA-256 before it is kept.

A file given by ``path`` or the environment is not hashed (a re-packed copy
holds the same arrays under a different file hash) but its arrays are checked:
keys, shapes, dtypes and label values. It is read with
``numpy.load(allow_pickle=False)``: nothing in it is unpickled.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import numpy as np

from ._keras import quiet_tensorflow
from ._validation import as_rng, check_int

__all__ = ["KERAS_MNIST_SHA256", "KERAS_MNIST_URL", "image_dataset", "keras_cache_path",
           "load_mnist", "mnist_flat", "mnist_images", "mnist_split"]

KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
ENV_VAR = "DLBOOK_MNIST_PATH"
_EXPECTED = {
    "x_train": ((60_000, 28, 28), np.uint8),
    "y_train": ((60_000,), np.uint8),
    "x_test": ((10_000, 28, 28), np.uint8),
    "y_test": ((10_000,), np.uint8),
}
_HOW_TO_FIX = (
    f"Download mnist.npz on a connected machine (from {KERAS_MNIST_URL}, or let "
    "keras.datasets.mnist.load_data() fetch it) and pass load_mnist(path=...) or set "
    f"{ENV_VAR}=/path/to/mnist.npz."
)


def keras_cache_path() -> Path:
    """Where Keras caches ``mnist.npz``: ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / "mnist.npz"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _download(url: str, dest: Path, sha256: str, timeout: float) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".mnist-", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            shutil.copyfileobj(resp, out)
        got = _sha256(Path(tmp))
        if got != sha256:
            raise ValueError(
                f"The file downloaded from {url} has SHA-256 {got}, not the expected {sha256}: "
                "it is incomplete or not Keras' mnist.npz, and was discarded. " + _HOW_TO_FIX
            )
        os.replace(tmp, dest)
    except (urllib.error.URLError, OSError) as exc:
        raise OSError(
            f"MNIST is not in the Keras cache ({dest}) and could not be downloaded from "
            f"{url}: {getattr(exc, 'reason', exc)}. " + _HOW_TO_FIX
        ) from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _read(path: Path):
    # An .npz is a zip archive. Anything else (a truncated download, an HTML error page,
    # random bytes) is refused here, before numpy could take it for a pickle.
    if not zipfile.is_zipfile(path):
        raise ValueError(
            f"{path} could not be read as an .npz archive (it is not a complete zip file); "
            "it is probably truncated or corrupt. Delete it and download it again. " + _HOW_TO_FIX
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in _EXPECTED if k not in npz.files]
            if missing:
                raise ValueError(
                    f"{path} is not an MNIST file: it lacks the arrays {missing} "
                    f"(it has {sorted(npz.files)}). " + _HOW_TO_FIX
                )
            arrays = {k: npz[k] for k in _EXPECTED}
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ValueError(
            f"{path} could not be read as an .npz archive ({type(exc).__name__}: {exc}); "
            "it is probably truncated or corrupt. Delete it and download it again. " + _HOW_TO_FIX
        ) from exc
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ValueError(
                f"{path} stores pickled objects, which dlbook never loads. " + _HOW_TO_FIX
            ) from exc
        raise
    for key, (shape, dtype) in _EXPECTED.items():
        a = arrays[key]
        if a.shape != shape or a.dtype != dtype:
            raise ValueError(
                f"{path}: array `{key}` must have shape {shape} and dtype {np.dtype(dtype)}. "
                f"Received shape {a.shape} and dtype {a.dtype}. " + _HOW_TO_FIX
            )
    for key in ("y_train", "y_test"):
        if arrays[key].max() > 9:
            raise ValueError(f"{path}: labels `{key}` must be digits 0-9. "
                             f"Received a maximum of {arrays[key].max()}")
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def load_mnist(path=None, *, url=KERAS_MNIST_URL, sha256=KERAS_MNIST_SHA256, timeout=60.0):
    """Load MNIST as ``(x_train, y_train), (x_test, y_test)``, like Keras.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A local ``mnist.npz``. Default: ``$DLBOOK_MNIST_PATH``, then the Keras
        cache, then a download into the cache.
    url : str
        Where to download from when no local file is found (Keras' address).
    sha256 : str
        Expected SHA-256 of the downloaded file (Keras' value).
    timeout : float, default 60
        Seconds before the download gives up.

    Returns
    -------
    tuple
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,); pixels 0-255.

    Raises
    ------
    FileNotFoundError
        ``path`` (or ``$DLBOOK_MNIST_PATH``) names no file.
    OSError
        No local file, and the download failed (no network, say).
    ValueError
        The file is truncated or corrupt, holds pickled objects, has the wrong
        arrays, or a downloaded file fails its hash check.

    References
    ----------
    LeCun, Cortes & Burges, The MNIST database of handwritten digits.
    """
    if path is None and os.environ.get(ENV_VAR):
        path, source = os.environ[ENV_VAR], f"the environment variable {ENV_VAR}"
    else:
        source = "the argument `path`"
    if path is not None:
        if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"Argument `path` must be a str or os.PathLike. "
                            f"Received: path={path!r} of type {type(path).__name__}")
        p = Path(path).expanduser()
        if not p.is_file():
            raise FileNotFoundError(f"{source} names {str(p)!r}, which is not a file. " + _HOW_TO_FIX)
        return _read(p)

    cached = keras_cache_path()
    if cached.is_file() and _sha256(cached) == sha256:
        return _read(cached)
    _download(url, cached, sha256, timeout)
    return _read(cached)


def mnist_split(n_val=5_000, *, rng=0):
    """The book's one train/validation split of MNIST's 60,000 training images.

    The MNIST chapter and every benchmark take their validation images from here, so a
    choice made on the validation set in ``benchmarks/`` is made on the chapter's split.
    The 10,000 test images are not part of it.

    Parameters
    ----------
    n_val : int, default 5000
        Validation images, 1 to 59,999.
    rng : numpy.random.Generator, int or None, default 0
        Draws the permutation (the package's randomness convention).

    Returns
    -------
    train_idx, val_idx : numpy.ndarray
        Disjoint indices into ``x_train``/``y_train`` of :func:`load_mnist`, together
        all 60,000, in random order.

    Examples
    --------
    >>> train_idx, val_idx = mnist_split()
    >>> len(train_idx), len(val_idx), len(set(train_idx) | set(val_idx))
    (55000, 5000, 60000)
    """
    n_val = check_int(n_val, "n_val", low=1, high=59_999)
    order = as_rng(rng).permutation(60_000)
    return order[n_val:], order[:n_val]


def mnist_flat(n_train=None, n_test=None, *, path=None, rng=0):
    """MNIST as float32 vectors in [0, 1]: ``(x_train, y_train), (x_test, y_test)``.

    Parameters
    ----------
    n_train, n_test : int, optional
        Take a random subset of this many training / test images (default: all).
    path : str, optional
        Passed to :func:`load_mnist`.
    rng : numpy.random.Generator, int or None, default 0
        Chooses the subsets.

    Returns
    -------
    tuple
        ``x`` of shape (n, 784), float32; ``y`` of shape (n,), int64.
    """
    # Check the arguments before loading (or downloading) 70,000 images. MNIST has 60,000
    # training and 10,000 test images.
    n_train = None if n_train is None else check_int(n_train, "n_train", low=1, high=60_000)
    n_test = None if n_test is None else check_int(n_test, "n_test", low=1, high=10_000)
    rng = as_rng(rng)
    (x_train, y_train), (x_test, y_test) = load_mnist(path)

    def take(x, y, n):
        if n is not None:
            idx = np.sort(rng.choice(len(y), size=n, replace=False))
            x, y = x[idx], y[idx]
        return x.reshape(len(y), -1).astype(np.float32) / 255.0, y.astype(np.int64)

    return take(x_train, y_train, n_train), take(x_test, y_test, n_test)


def mnist_images(x):
    """uint8 digits (n, 28, 28) → float32 images (n, 28, 28, 1) in [0, 1].

    Conv2D layers and Keras' image layers expect a channel axis; the source
    article's rank-3 arrays are why its ``ImageDataGenerator.fit`` call fails.
    """
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(f"Argument `x` must have shape (n, 28, 28). Received shape {x.shape}")
    return (x.astype(np.float32) / 255.0)[..., None]


def image_dataset(x, y, *, batch_size, augmentation=None, shuffle=False, seed=0):
    """A ``tf.data`` pipeline: shuffle, batch, augment in a background thread, prefetch.

    Augmentation runs inside the pipeline on one background thread, while the model
    trains on the previous batch. One thread keeps a seeded run repeatable: with several,
    the batches race for the augmentation layers' random state. tf.data's autotuner is
    switched off (it made epochs irregularly slower on a 2-core machine:
    ``benchmarks/README.md``).

    Parameters
    ----------
    x, y : array_like
        Images ``(n, 28, 28, 1)`` and integer labels ``(n,)``.
    batch_size : int
    augmentation : keras.Layer, optional
        Applied to each training batch (``training=True``).
    shuffle : bool, default False
        Reshuffle the examples every epoch.
    seed : int, default 0
        The shuffle's seed (an int, as ``tf.data`` takes it).

    Returns
    -------
    tf.data.Dataset
    """
    quiet_tensorflow()
    import tensorflow as tf

    batch_size = check_int(batch_size, "batch_size", low=1)
    seed = check_int(seed, "seed", low=0)
    if len(x) != len(y):
        raise ValueError(f"Arguments `x` and `y` must hold the same number of examples. "
                         f"Received {len(x)} images and {len(y)} labels")
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        ds = ds.shuffle(len(y), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if augmentation is not None:
        ds = ds.map(lambda a, b: (augmentation(a, training=True), b),
                    num_parallel_calls=1)
    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.prefetch(tf.data.AUTOTUNE).with_options(options)
