"""dlbook_utils.widgets: the kernel-free slider machinery (its browser behaviour is in
test_book.py and test_jupyterlab.py)."""

import io

import ipywidgets as widgets
import pytest
from PIL import Image

from dlbook_utils import widgets as W
from dlbook_utils.plotting import plot_activations


def _fig(alpha):
    return plot_activations(["leaky_relu"], alpha=alpha)


def test_figure_to_png_is_a_small_palette_png():
    png = W.figure_to_png(_fig(0.1), colors=16)
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG" and img.mode == "P"
        assert len(img.getcolors()) <= 16
        assert img.size == (700, 320)  # 7 x 3.2 inches at 100 dpi


def _state(box):
    """The widget state the page embeds: model id -> state, for ``box`` and what it shows."""
    from ipywidgets.embed import embed_data

    state = embed_data(views=[box], drop_defaults=False)["manager_state"]["state"]
    return {k: v["state"] for k, v in state.items()}


def _links(state, box):
    """The jslinks of the page's state that start at one of ``box``'s controls, as
    ((source id, trait), (target id, trait))."""
    def ref(pair):
        return pair[0].removeprefix("IPY_MODEL_"), pair[1]

    def ids(w):
        return {w.model_id}.union(*(ids(c) for c in getattr(w, "children", ())))

    mine = ids(box)
    return [(ref(s["source"]), ref(s["target"])) for s in state.values()
            if s.get("_model_name") == "LinkModel" and ref(s["source"])[0] in mine]


def test_figure_slider_links_slider_index_to_stack_in_the_browser():
    values = [0.0, 0.1, 0.2]
    box = W.figure_slider(_fig, values, description="α", initial=1)
    slider, stack = box.children
    assert isinstance(slider, widgets.SelectionSlider) and isinstance(stack, widgets.Stack)
    state = _state(box)
    assert W.CSS_CLASS in state[box.model_id]["_dom_classes"]
    assert slider.index == 1 and stack.selected_index == 1
    assert [lab for lab, _ in slider.options] == ["0", "0.1", "0.2"]
    assert len(stack.children) == 3
    frames = [img.value for img in stack.children]
    assert len(set(frames)) == 3  # each value drew a different picture
    # jslink: a Link model in the page's widget state, which lives in the browser and needs
    # no kernel (what the HTML book embeds).
    assert _links(state, box) == [((slider.model_id, "index"), (stack.model_id, "selected_index"))]


def test_figure_slider_custom_labels():
    box = W.figure_slider(_fig, [0.0, 0.3], labels=["off", "on"])
    assert [lab for lab, _ in box.children[0].options] == ["off", "on"]


@pytest.mark.parametrize("args, kwargs, exc, pattern", [
    (("no", [1]), {}, TypeError, r"Argument `make_figure` must be a callable"),
    ((_fig, 0.1), {}, TypeError, r"Argument `values` must be a sequence"),
    ((_fig, []), {}, ValueError, r"must hold 1 to 101 positions\. Received 0"),
    ((_fig, [0.1] * 102), {}, ValueError, r"must hold 1 to 101 positions\. Received 102"),
    ((_fig, [0.1, 0.2]), {"labels": ["a"]}, ValueError, r"one label per value \(2\)"),
    ((_fig, [0.1, 0.1]), {}, ValueError, r"Argument `labels` must be distinct"),
    ((_fig, [0.1]), {"initial": 1}, ValueError, r"Argument `initial` must be an integer in "
                                                r"\[0, 0\]"),
    ((lambda v: None, [0.1]), {}, TypeError, r"must return a matplotlib\.figure\.Figure\. "
                                             r"For value 0\.1 it returned NoneType"),
])
def test_figure_slider_rejects_bad_input(args, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        W.figure_slider(*args, **kwargs)


def test_figure_to_png_rejects_bad_input():
    with pytest.raises(TypeError, match=r"Argument `fig` must be a matplotlib\.figure\.Figure"):
        W.figure_to_png("figure")
    with pytest.raises(ValueError, match=r"Argument `colors` must be an integer in \[2, 256\]"):
        W.figure_to_png(_fig(0.1), colors=1)


def _grid_fig(a, b):
    return plot_activations([a], alpha=b)


def test_figure_grid_nests_stacks_linked_to_each_dropdown():
    box = W.figure_grid(_grid_fig, {"activation": ["relu", "leaky_relu"], "α": [0.1, 0.2, 0.3]},
                        labels={"activation": ["ReLU", "Leaky"]})
    (controls, outer) = box.children
    first, second = controls.children
    assert [lab for lab, _ in first.options] == ["ReLU", "Leaky"]
    assert [lab for lab, _ in second.options] == ["0.1", "0.2", "0.3"]
    state = _state(box)
    assert W.GRID_CSS_CLASS in state[box.model_id]["_dom_classes"]
    assert len(outer.children) == 2 and all(len(s.children) == 3 for s in outer.children)
    # One link per stack: the outer one to the first dropdown, each inner one to the second.
    links = _links(state, box)
    assert ((first.model_id, "index"), (outer.model_id, "selected_index")) in links
    assert all(((second.model_id, "index"), (s.model_id, "selected_index")) in links
               for s in outer.children)
    assert len(links) == 1 + len(outer.children)
    # Leaky ReLU with different slopes gives different pictures; ReLU ignores alpha.
    leaky = [img.value for img in outer.children[1].children]
    assert len(set(leaky)) == 3


def test_figure_grid_rejects_bad_input():
    with pytest.raises(TypeError, match=r"Argument `controls` must be a dict of 1 to 4 entries"):
        W.figure_grid(_grid_fig, [["relu"], [0.1]])
    with pytest.raises(ValueError, match=r"would need 81 figures \(9 x 9\); at most 64"):
        W.figure_grid(_grid_fig, {"a": list(range(9)), "b": list(range(9))})
    with pytest.raises(ValueError, match=r"Argument `labels` must be a dict whose keys are "
                                         r"control labels"):
        W.figure_grid(_grid_fig, {"a": ["relu"]}, labels={"b": ["x"]})
    with pytest.raises(ValueError, match=r"Argument `labels\['a'\]` must have one label per"):
        W.figure_grid(_grid_fig, {"a": ["relu", "tanh"]}, labels={"a": ["x"]})


def test_frames_carry_alt_text_from_the_setting_and_the_figure():
    """Each frame is an <img> whose alt text names the slider's setting and what the
    figure plots (its titles, axis labels and legend entries)."""
    import matplotlib.pyplot as plt

    def fig(a):
        f, ax = plt.subplots()
        ax.plot([0, 1], [0, a], label="a line")
        ax.set(title="slope", xlabel="x", ylabel="y")
        ax.legend()
        return f

    box = W.figure_slider(fig, [0.5, 2.0], description="α")
    frames = [frame.value for frame in box.children[1].children]
    assert all(f.startswith('<img class="widget-image dlbook-frame" alt="') for f in frames)
    assert 'alt="Figure for α = 0.5. Plot &quot;slope&quot;: x-axis x; y-axis y; lines: a line."' \
        in frames[0]
    assert "α = 2" in frames[1] and 'src="data:image/png;base64,' in frames[1]


def test_describe_figure_rejects_what_is_not_a_figure():
    with pytest.raises(TypeError, match=r"Argument `fig` must be a matplotlib.figure.Figure. "
                                        r"Received: fig of type str"):
        W.describe_figure("not a figure")


def test_frames_record_resolution_and_smallest_font():
    from matplotlib.figure import Figure

    from dlbook_utils.plotting import MIN_FONT_KEY

    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.plot([0, 1])
    ax.set_title("t", fontsize=7)
    png = W.figure_to_png(fig, dpi=80)
    with Image.open(io.BytesIO(png)) as img:
        assert float(img.info[MIN_FONT_KEY]) == 7.0
        assert round(img.info["dpi"][0]) == 80 and img.size == (240, 160)
