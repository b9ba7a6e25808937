"""dlbook_utils.data.load_mnist: the shared file, every error path, and the download path
against a local HTTP server."""

import functools
import hashlib
import http.server
import threading

import numpy as np
import pytest

from dlbook_utils import data
from dlbook_utils.models import article_augmentation

SHARED_SHA256 = "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No test sees the real environment variable or the real Keras cache."""
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))


def test_shared_file_matches_its_readme(shared_mnist):
    (x_train, y_train), (x_test, y_test) = data.load_mnist(shared_mnist)
    # Figures from ../shared/data/README.md.
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265,
                                             5851, 5949]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974,
                                            1009]
    assert x_train.mean() == pytest.approx(33.318421, abs=1e-6)
    assert x_train.std() == pytest.approx(78.567490, abs=1e-6)
    assert x_test.mean() == pytest.approx(33.791224, abs=1e-6)
    assert hashlib.sha256(x_train.tobytes()).hexdigest() == \
        "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757"


def test_environment_variable_is_used(shared_mnist, monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(shared_mnist))
    (_, y_train), _ = data.load_mnist()
    assert y_train.shape == (60_000,)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"the argument `path` names .*nope\.npz.*not a "
                                                r"file\. Download mnist\.npz"):
        data.load_mnist(tmp_path / "nope.npz")


def test_missing_file_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path / "gone.npz"))
    with pytest.raises(FileNotFoundError, match=r"environment variable DLBOOK_MNIST_PATH"):
        data.load_mnist()


def test_truncated_file(shared_mnist, tmp_path):
    bad = tmp_path / "truncated.npz"
    bad.write_bytes(shared_mnist.read_bytes()[:100_000])
    with pytest.raises(ValueError, match=r"truncated or corrupt\. Delete it and download it"):
        data.load_mnist(bad)


def test_corrupt_file(tmp_path):
    bad = tmp_path / "noise.npz"
    bad.write_bytes(np.random.default_rng(0).bytes(5000))
    with pytest.raises(ValueError, match=r"could not be read as an \.npz archive"):
        data.load_mnist(bad)


def _fake(tmp_path, **override):
    arrays = {"x_train": np.zeros((60_000, 28, 28), np.uint8), "y_train": np.zeros(60_000, np.uint8),
              "x_test": np.zeros((10_000, 28, 28), np.uint8), "y_test": np.zeros(10_000, np.uint8)}
    arrays.update(override)
    arrays = {k: v for k, v in arrays.items() if v is not None}
    path = tmp_path / "fake.npz"
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize("override, pattern", [
    ({"x_train": np.zeros((60_000, 784), np.uint8)},
     r"array `x_train` must have shape \(60000, 28, 28\) and dtype uint8\. Received shape "
     r"\(60000, 784\)"),
    ({"x_test": np.zeros((10_000, 28, 28), np.float32)},
     r"array `x_test` must have shape .* Received shape \(10000, 28, 28\) and dtype float32"),
    ({"y_test": None}, r"lacks the arrays \['y_test'\]"),
    ({"y_train": np.full(60_000, 12, np.uint8)}, r"labels `y_train` must be digits 0-9"),
])
def test_wrong_arrays(tmp_path, override, pattern):
    with pytest.raises(ValueError, match=pattern):
        data.load_mnist(_fake(tmp_path, **override))


def test_pickled_objects_are_refused(tmp_path):
    path = _fake(tmp_path, x_train=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(ValueError, match=r"stores pickled objects, which dlbook never loads"):
        data.load_mnist(path)


def test_bad_path_type():
    with pytest.raises(TypeError, match=r"Argument `path` must be a str or os\.PathLike\. "
                                        r"Received: path=3"):
        data.load_mnist(3)


# --- the download path, against a server on 127.0.0.1 --------------------------------------

class _Counting(http.server.SimpleHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(shared_mnist, tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    (root / "mnist.npz").write_bytes(shared_mnist.read_bytes())
    handler = type("H", (_Counting,), {"hits": 0})
    srv = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", handler
    srv.shutdown()


def test_download_into_keras_cache_once(server):
    url, handler = server
    (x_train, _), _ = data.load_mnist(url=f"{url}/mnist.npz", sha256=SHARED_SHA256)
    assert x_train.shape == (60_000, 28, 28)
    cached = data.keras_cache_path()
    assert cached.is_file() and cached.parent.name == "datasets"
    assert handler.hits == 1
    data.load_mnist(url=f"{url}/mnist.npz", sha256=SHARED_SHA256)  # from the cache now
    assert handler.hits == 1
    assert not list(cached.parent.glob("*.part"))


def test_download_with_wrong_hash_is_discarded(server):
    url, _ = server
    with pytest.raises(ValueError, match=r"has SHA-256 06af5dfe.*not the expected 0000.*"
                                         r"was discarded"):
        data.load_mnist(url=f"{url}/mnist.npz", sha256="0" * 64)
    assert not data.keras_cache_path().exists()
    assert not list(data.keras_cache_path().parent.glob("*"))


def test_corrupt_cache_is_replaced(server):
    url, handler = server
    cached = data.keras_cache_path()
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"half a file")
    data.load_mnist(url=f"{url}/mnist.npz", sha256=SHARED_SHA256)
    assert handler.hits == 1 and data._sha256(cached) == SHARED_SHA256


def test_no_network_says_how_to_fix():
    with socket_closed_port() as port:
        with pytest.raises(OSError, match=r"could not be downloaded from http://127\.0\.0\.1.*"
                                          r"set DLBOOK_MNIST_PATH"):
            data.load_mnist(url=f"http://127.0.0.1:{port}/mnist.npz", timeout=5)
    assert not data.keras_cache_path().exists()


class socket_closed_port:
    """A port on 127.0.0.1 that nothing listens on."""

    def __enter__(self):
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        return self.port

    def __exit__(self, *exc):
        return False


def test_mnist_images_adds_the_channel_axis():
    x = np.full((3, 28, 28), 255, np.uint8)
    out = data.mnist_images(x)
    assert out.shape == (3, 28, 28, 1) and out.dtype == np.float32 and out.max() == 1.0
    with pytest.raises(ValueError, match=r"Argument `x` must have shape \(n, 28, 28\)\. "
                                         r"Received shape \(3, 784\)"):
        data.mnist_images(x.reshape(3, -1))


def test_image_dataset_batches_and_turns_the_autotuner_off():
    x = np.zeros((10, 28, 28, 1), np.float32)
    y = np.arange(10)
    ds = data.image_dataset(x, y, batch_size=4, shuffle=True, augmentation=article_augmentation(0))
    sizes = [int(b[0].shape[0]) for b in ds]
    assert sizes == [4, 4, 2]
    labels = np.concatenate([b[1].numpy() for b in ds])
    assert sorted(labels) == list(range(10))  # shuffled, nothing lost or repeated
    assert ds.options().autotune.enabled is False  # see image_dataset's docstring
    with pytest.raises(ValueError, match=r"Argument `batch_size` must be an integer in \[1, inf\]"):
        data.image_dataset(x, y, batch_size=0)


def test_mnist_flat_subsets(shared_mnist):
    (x, y), (xt, yt) = data.mnist_flat(2000, 500, path=shared_mnist, rng=0)
    assert x.shape == (2000, 784) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    assert y.shape == (2000,) and set(np.unique(y)) == set(range(10))
    assert xt.shape == (500, 784)


def test_mnist_split_is_the_one_split():
    train_idx, val_idx = data.mnist_split()
    assert (len(train_idx), len(val_idx)) == (55_000, 5_000)
    assert len(np.union1d(train_idx, val_idx)) == 60_000          # disjoint, all images
    again = data.mnist_split(rng=0)
    np.testing.assert_array_equal(again[1], val_idx)              # the same split every time
    other = data.mnist_split(rng=np.random.default_rng(1))
    assert not np.array_equal(other[1], val_idx)
    assert len(data.mnist_split(100)[1]) == 100
    with pytest.raises(ValueError, match=r"Argument `n_val` must be an integer in \[1, 59999\]"):
        data.mnist_split(60_000)
    with pytest.raises(TypeError, match=r"Argument `rng` must be None, a non-negative integer"):
        data.mnist_split(rng=0.5)
