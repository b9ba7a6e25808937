"""dlbook_utils.lab: the draw-a-digit lab's JavaScript forward pass (run by Node.js) against
Keras on real MNIST test digits, its MNIST-style preprocessing, and the exporter's errors."""

import base64
import json
import shutil
import subprocess

import numpy as np
import pytest

from dlbook_utils import data as D
from dlbook_utils import lab as LAB
from dlbook_utils import models as M
from dlbook_utils.training import RECIPES, quiet_tensorflow

keras = quiet_tensorflow()

NODE = shutil.which("node")


def run_node(script, payload, tmp_path):
    """Run a Node.js script that reads JSON from the file argv[2] and prints JSON."""
    if NODE is None:
        pytest.fail("Node.js is needed for the lab's parity test: `make test` installs it "
                    "(Debian's nodejs, with npm)")
    data = tmp_path / "in.json"
    data.write_text(json.dumps(payload))
    js = tmp_path / "run.js"
    js.write_text(f"const lab = require({json.dumps(str(LAB.LAB_JS))});\n"
                  "const input = JSON.parse(require('fs').readFileSync(process.argv[2]));\n"
                  + script)
    proc = subprocess.run([NODE, str(js), str(data)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def trained(shared_mnist):
    """The article's network after one epoch of the fast recipe on 20,000 images (about
    98 % on the test set), and the test digits."""
    (x_all, y_all), (x_test, y_test) = D.load_mnist(path=shared_mnist)
    recipe = RECIPES["fast"]
    import dataclasses

    recipe = dataclasses.replace(recipe, epochs=1)
    model, ds = recipe.prepare(D.mnist_images(x_all[:20_000]), y_all[:20_000], seed=0)
    model.fit(ds, epochs=1, verbose=0, shuffle=False)
    return model, D.mnist_images(x_test), y_test


FORWARD = """
const layers = lab.decodeNetwork(input.network);
const probs = input.images.map((img) => lab.forward(layers, img).probs);
console.log(JSON.stringify(probs));
"""


def test_page_forward_pass_matches_keras_on_1000_test_digits(trained, tmp_path):
    model, x_test, y_test = trained
    x = x_test[:1000]
    keras_probs = model.predict(x, batch_size=500, verbose=0)
    assert (keras_probs.argmax(1) == y_test[:1000]).mean() > 0.95      # a trained network
    images = [img.ravel().tolist() for img in x[..., 0]]
    js_probs = np.array(run_node(FORWARD, {"network": LAB.export_network(model),
                                           "images": images}, tmp_path))
    assert js_probs.shape == (1000, 10)
    np.testing.assert_allclose(js_probs.sum(1), 1, atol=1e-6)
    diff = np.abs(js_probs - keras_probs).max()
    assert diff <= 1e-3, f"largest probability difference {diff:.2e}"
    assert (js_probs.argmax(1) == keras_probs.argmax(1)).all()


PREPROCESS = """
const out = input.drawings.map((d) => Array.from(lab.preprocess(Float32Array.from(d), input.size)));
console.log(JSON.stringify(out));
"""


def test_preprocessing_undoes_an_enlarged_mnist_digit(trained, tmp_path):
    """An MNIST digit is already what the preprocessing makes (fits 20 × 20, centre of mass
    at the centre of pixel (14, 14): 14.5 with pixel i spanning [i, i + 1)): enlarged and moved, as a drawing on the 280 × 280 pad,
    it must come back close to itself, and the network must read it the same way."""
    from PIL import Image

    model, x_test, y_test = trained
    x = x_test[:40, :, :, 0]
    # Enlarged 8.9 times (bilinear) and off centre: the pad's box is not a whole multiple
    # of 20 pixels, so the area averaging mixes source pixels.
    big = np.zeros((len(x), 280, 280), dtype=np.float32)
    for b, img in zip(big, x):
        b[5:255, 25:275] = np.asarray(Image.fromarray(img).resize((250, 250), Image.BILINEAR))
    big = np.clip(big, 0, 1)
    back = np.array(run_node(PREPROCESS, {"size": 280,
                                          "drawings": [b.ravel().tolist() for b in big]},
                             tmp_path)).reshape(-1, 28, 28)
    for img in back:
        rows, cols = np.nonzero(img > 0.05)
        assert max(np.ptp(rows), np.ptp(cols)) + 1 in (19, 20, 21)  # the 20-pixel box
        mass = img.sum()
        cy = (img.sum(1) * (np.arange(28) + 0.5)).sum() / mass
        cx = (img.sum(0) * (np.arange(28) + 0.5)).sum() / mass
        assert abs(cy - 14.5) <= 0.5 + 1e-6 and abs(cx - 14.5) <= 0.5 + 1e-6
    corr = [np.corrcoef(a.ravel(), b.ravel())[0, 1] for a, b in zip(x, back)]
    assert np.median(corr) > 0.9, corr
    same = model.predict(back[..., None], verbose=0).argmax(1) == \
        model.predict(x[..., None], verbose=0).argmax(1)
    assert same.mean() >= 0.95


def test_ink_touching_the_edges_gives_a_full_image(tmp_path):
    """Shapes of every height that touch the pad's edges: the box arithmetic must never
    read past the ink (an earlier version read one row past the pad and returned zeros)."""
    drawings = []
    for h in range(100, 281, 3):
        for corner in range(4):
            ink = np.zeros((280, 280), dtype=np.float32)
            ink[280 - h:, :3] = 1                       # a vertical bar on the left edge,
            ink[-3:, : h // 2] = 1                      # a foot along the bottom edge
            drawings.append(np.rot90(ink, corner).ravel().tolist())
    out = np.array(run_node(PREPROCESS, {"size": 280, "drawings": drawings}, tmp_path))
    assert out.shape == (len(drawings), 784)
    assert np.isfinite(out).all() and (out.sum(axis=1) > 1).all()
    assert out.min() >= 0 and out.max() <= 1


def test_empty_drawing_gives_no_image(tmp_path):
    out = run_node("console.log(JSON.stringify(lab.preprocess(new Float32Array(100), 10)));",
                   {}, tmp_path)
    assert out is None


def test_float16_decoding_is_exact(tmp_path):
    values = np.array([0, 1, -2.5, 65504, 6.1e-5, 5.96e-8, -0.0, 0.1], dtype="<f2")
    got = run_node("console.log(JSON.stringify(input.h.map(lab.halfToFloat)));",
                   {"h": values.view("<u2").tolist()}, tmp_path)
    np.testing.assert_array_equal(np.array(got, dtype=np.float64), values.astype(np.float64))


def test_export_rejects_layers_the_page_cannot_run():
    bn = M.article_cnn(batch_norm=True)
    with pytest.raises(ValueError, match=r"a bias and ReLU.*activation='linear', use_bias=False"):
        LAB.export_network(bn)
    gap = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.GlobalAveragePooling2D(),
                            keras.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError, match=r"is a GlobalAveragePooling2D; the lab supports Conv2D"):
        LAB.export_network(gap)
    same = keras.Sequential([keras.Input((28, 28, 1)),
                             keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
                             keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError, match=r"'valid' convolutions.*padding='same'"):
        LAB.export_network(same)
    wrong_input = keras.Sequential([keras.Input((32, 32, 1)), keras.layers.Flatten(),
                                    keras.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError, match=r"28 × 28 × 1 images.*\(32, 32, 1\)"):
        LAB.export_network(wrong_input)
    no_softmax = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                   keras.layers.Dense(10, activation="relu")])
    with pytest.raises(ValueError, match="must end in a Dense layer with softmax"):
        LAB.export_network(no_softmax)


def test_export_stores_every_weight_as_float16():
    model = M.article_cnn(seed=1)
    net = LAB.export_network(model)
    assert net["n_weights"] == model.count_params()
    raw = np.frombuffer(base64.b64decode(net["weights"]), dtype="<f2")
    expected = np.concatenate([w.ravel() for w in model.get_weights()]).astype(np.float16)
    np.testing.assert_array_equal(raw, expected)
    assert [layer["type"] for layer in net["layers"]] == \
        ["conv", "pool", "conv", "pool", "flatten", "dense", "dense"]


def test_lab_html_checks_its_examples_and_escapes_titles():
    model = M.article_cnn()
    with pytest.raises(ValueError, match=r"pixel values in \[0, 1\].*Received 255 to 255"):
        LAB.digit_lab_html(model, np.full((1, 28, 28), 255.0), ["7"], ["seven"])
    with pytest.raises(ValueError, match="same length. Received 1, 2 and 1"):
        LAB.digit_lab_html(model, np.zeros((1, 28, 28)), ["7", "1"], ["a"])
    with pytest.raises(ValueError, match=r"shape \(n, 28, 28\).*\(2, 28\)"):
        LAB.digit_lab_html(model, np.zeros((2, 28)), ["7", "1"], ["a", "b"])
    page = LAB.digit_lab_html(model, np.zeros((1, 28, 28)), ["7"], ["</script><b>"],
                              element_id="lab-1")
    assert page.count("</script>") == 2 and 'id="lab-1"' in page
    # The budget: the article's network and ten test digits add under 1 MB to a page.
    ten = LAB.digit_lab_html(model, np.zeros((10, 28, 28)), list("0123456789"),
                             [f"test digit {i}" for i in range(10)])
    assert len(ten.encode()) < 1_000_000
