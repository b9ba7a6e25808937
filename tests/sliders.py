"""Browser-side checks of dlbook_utils.widgets.figure_slider, shared by the static-HTML
and the JupyterLab tests."""

from dlbook_utils.widgets import CSS_CLASS

SELECTOR = f".{CSS_CLASS}"


def slider_state(box):
    """The readout, the ARIA index and a picture of the figure the slider shows now."""
    handle = box.locator(".noUi-handle").first
    image = box.locator("img.widget-image").first
    image.wait_for(state="visible")
    box.page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=image.element_handle())
    return {
        "readout": box.locator(".widget-readout").first.inner_text().strip(),
        "index": handle.get_attribute("aria-valuenow"),
        "src": image.get_attribute("src"),
        "pixels": image.screenshot(),
    }


def drag_slider(box, fraction):
    """Drag the slider handle with the mouse to `fraction` (0..1) of the track."""
    page = box.page
    box.scroll_into_view_if_needed()
    handle = box.locator(".noUi-handle").first
    track = box.locator(".noUi-base").first
    h, t = handle.bounding_box(), track.bounding_box()
    page.mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
    page.mouse.down()
    target_x = t["x"] + fraction * t["width"]
    page.mouse.move(target_x, h["y"] + h["height"] / 2, steps=12)
    page.mouse.up()


def assert_slider_moves_figure(box):
    """Move the slider for real and check the figure on screen changes with it."""
    before = slider_state(box)
    drag_slider(box, 0.95)
    box.page.wait_for_function(
        "([el, old]) => el.querySelector('.noUi-handle').getAttribute('aria-valuenow') !== old",
        arg=[box.element_handle(), before["index"]], timeout=10_000)
    after = slider_state(box)
    assert after["index"] != before["index"]
    assert after["readout"] != before["readout"]
    assert after["src"] != before["src"], "the slider moved but the stack shows the same image"
    assert after["pixels"] != before["pixels"], "the displayed figure did not change"
    # And back with the keyboard: one step left shows yet another frame.
    box.locator(".noUi-handle").first.press("ArrowLeft")
    box.page.wait_for_function(
        "([el, old]) => el.querySelector('.noUi-handle').getAttribute('aria-valuenow') !== old",
        arg=[box.element_handle(), after["index"]], timeout=10_000)
    stepped = slider_state(box)
    assert int(float(stepped["index"])) == int(float(after["index"])) - 1
    assert stepped["pixels"] != after["pixels"]
    return before, after
