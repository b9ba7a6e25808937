"""The draw-a-digit lab: the MNIST chapter's trained network, run by the page itself.

:func:`export_network` writes a Keras model of the article's kind (3×3 "valid"
convolutions with ReLU, 2×2 max-pooling, ``Flatten``, dense layers, a softmax) as a small
JSON-able dict, its weights stored as float16 in base64; :func:`digit_lab_html` wraps it,
with ``lab.js`` (a plain-JavaScript forward pass and the MNIST-style preprocessing of a
drawing) and ``lab.css``, into one HTML fragment that runs in the built book (also opened
from ``file://``, with no request to any host) and in a trusted notebook in JupyterLab.
TensorFlow is not imported here: the model's layers are read through their Keras API.
"""

from __future__ import annotations

import base64
import html
import json
import uuid
from pathlib import Path

import numpy as np

__all__ = ["LAB_JS", "digit_lab", "digit_lab_html", "export_network"]

_HERE = Path(__file__).parent
#: Path of the lab's JavaScript (also loaded by the Node.js parity test).
LAB_JS = _HERE / "lab.js"
_LAB_CSS = _HERE / "lab.css"


def _layer_kind(layer):
    return type(layer).__name__


def export_network(model):
    """The model's layers and weights in the form ``lab.js`` reads.

    Parameters
    ----------
    model : keras.Sequential
        Built, with input ``(28, 28, 1)``; layers among ``Conv2D`` (square kernel,
        stride 1, ``"valid"`` padding, ReLU), ``MaxPooling2D`` (2×2, stride 2, "valid"),
        ``Flatten``, ``Dropout`` (left out: it does nothing at inference) and ``Dense``
        (ReLU, or softmax for the last layer).

    Returns
    -------
    dict
        ``{"layers": [...], "weights": str, "n_weights": int}``: one entry per layer that
        computes something, and every kernel and bias in layer order, as little-endian
        float16 in base64 (half the bytes of float32; the parity test bounds the effect
        on the probabilities).

    Raises
    ------
    ValueError
        For a layer or setting the page's forward pass does not implement, naming it.
    """
    layers, arrays = [], []
    shape = tuple(model.inputs[0].shape[1:]) if getattr(model, "inputs", None) else None
    if shape != (28, 28, 1):
        raise ValueError("Argument `model` must take 28 × 28 × 1 images (a built Sequential "
                         f"model). Received a model with input shape {shape}")
    for layer in model.layers:
        kind = _layer_kind(layer)
        cfg = layer.get_config()
        if kind == "Conv2D":
            k = tuple(cfg["kernel_size"])
            if (k[0] != k[1] or tuple(cfg["strides"]) != (1, 1) or cfg["padding"] != "valid"
                    or cfg["activation"] != "relu" or tuple(cfg["dilation_rate"]) != (1, 1)
                    or not cfg["use_bias"]):
                raise ValueError(
                    f"Layer {layer.name!r}: the lab supports square 'valid' convolutions with "
                    "stride 1, a bias and ReLU. Received kernel_size="
                    f"{k}, strides={cfg['strides']}, padding={cfg['padding']!r}, "
                    f"activation={cfg['activation']!r}, use_bias={cfg['use_bias']}")
            kernel, bias = layer.get_weights()
            layers.append({"type": "conv", "k": k[0], "cin": int(kernel.shape[2]),
                           "cout": int(kernel.shape[3])})
            arrays += [kernel, bias]
        elif kind == "MaxPooling2D":
            if (tuple(cfg["pool_size"]) != (2, 2) or tuple(cfg["strides"] or (2, 2)) != (2, 2)
                    or cfg["padding"] != "valid"):
                raise ValueError(f"Layer {layer.name!r}: the lab supports 2 × 2 max-pooling with "
                                 f"stride 2 and 'valid' padding. Received {cfg['pool_size']}, "
                                 f"strides {cfg['strides']}, padding {cfg['padding']!r}")
            layers.append({"type": "pool"})
        elif kind == "Flatten":
            layers.append({"type": "flatten"})
        elif kind == "Dropout":
            continue
        elif kind == "Dense":
            if cfg["activation"] not in ("relu", "softmax") or not cfg["use_bias"]:
                raise ValueError(f"Layer {layer.name!r}: the lab supports dense layers with a "
                                 "bias and ReLU or softmax. Received activation="
                                 f"{cfg['activation']!r}, use_bias={cfg['use_bias']}")
            kernel, bias = layer.get_weights()
            layers.append({"type": "dense", "nin": int(kernel.shape[0]),
                           "nout": int(kernel.shape[1]), "activation": cfg["activation"]})
            arrays += [kernel, bias]
        else:
            raise ValueError(f"Layer {layer.name!r} is a {kind}; the lab supports Conv2D, "
                             "MaxPooling2D, Flatten, Dropout and Dense")
    if not layers or layers[-1].get("activation") != "softmax":
        raise ValueError("Argument `model` must end in a Dense layer with softmax; received "
                         f"layers {[_layer_kind(layer) for layer in model.layers]}")
    flat = np.concatenate([np.asarray(a, dtype=np.float32).ravel() for a in arrays])
    if not np.all(np.isfinite(flat)):
        raise ValueError("Argument `model` has weights that are not finite (NaN or inf)")
    if np.abs(flat).max() > np.finfo(np.float16).max:
        raise ValueError("Argument `model` has weights beyond float16's range (65504): "
                         f"largest {np.abs(flat).max():.4g}")
    data = flat.astype("<f2").tobytes()
    return {"layers": layers, "weights": base64.b64encode(data).decode("ascii"),
            "n_weights": int(flat.size)}


def _examples(images, labels, titles):
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError("Argument `examples` must hold images of shape (n, 28, 28) or "
                         f"(n, 28, 28, 1). Received shape {images.shape}")
    if images.size and (images.min() < 0 or images.max() > 1):
        raise ValueError("Argument `examples` must hold pixel values in [0, 1] (as "
                         f"mnist_images gives them). Received {images.min():g} to {images.max():g}")
    labels, titles = list(labels), list(titles)
    if not len(labels) == len(titles) == len(images):
        raise ValueError("Arguments `examples`, `labels` and `titles` must have the same length. "
                         f"Received {len(images)}, {len(labels)} and {len(titles)}")
    pixels = np.rint(images * 255).astype(np.uint8)
    return [{"pixels": base64.b64encode(p.tobytes()).decode("ascii"), "label": str(lab),
             "title": str(t)} for p, lab, t in zip(pixels, labels, titles)]


def digit_lab_html(model, examples=(), labels=(), titles=(), *, element_id=None):
    """One self-contained HTML fragment: the lab's markup, style, script and network.

    Parameters
    ----------
    model : keras.Sequential
        See :func:`export_network`.
    examples : array_like, optional
        Test digits ``(n, 28, 28[, 1])`` in [0, 1] that buttons load into the lab.
    labels, titles : sequence of str
        Each button's text, and its tooltip and accessible name (say the true label, and
        the prediction for digits the network gets wrong).
    element_id : str, optional
        The lab's element id (default: a random one, so two labs can share a page).

    Returns
    -------
    str
    """
    config = {"network": export_network(model), "examples": _examples(examples, labels, titles)}
    if element_id is None:
        element_id = f"dlbook-lab-{uuid.uuid4().hex[:8]}"
    if not isinstance(element_id, str) or not element_id.replace("-", "").isalnum():
        raise ValueError("Argument `element_id` must be letters, digits and hyphens. "
                         f"Received {element_id!r}")
    # "</" cannot end the script early: JSON from json.dumps escapes nothing of that, so
    # replace it (base64, digits and our own strings never hold it; titles might).
    payload = json.dumps(config, separators=(",", ":")).replace("</", "<\\/")
    return (f'<style>{_LAB_CSS.read_text()}</style>\n'
            f'<div id="{html.escape(element_id)}" class="dlbook-lab">'
            "The lab needs JavaScript (in JupyterLab: trust the notebook, then run the cell "
            "again).</div>\n"
            f"<script>{LAB_JS.read_text()}</script>\n"
            f"<script>dlbookDigitLab.mount(document.getElementById({json.dumps(element_id)}), "
            f"{payload});</script>")


def digit_lab(model, examples=(), labels=(), titles=(), *, element_id=None):
    """:func:`digit_lab_html` as a notebook output (``IPython.display.HTML``)."""
    from IPython.display import HTML

    return HTML(digit_lab_html(model, examples, labels, titles, element_id=element_id))
