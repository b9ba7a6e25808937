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


GRID_SELECTOR = ".dlbook-figure-grid"


def _shown_image(box):
    image = box.locator("img.widget-image >> visible=true")
    image.first.wait_for(state="visible")
    assert image.count() == 1, f"{image.count()} images visible at once"
    box.page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=image.first.element_handle())
    return image.first.get_attribute("src"), image.first.screenshot()


def assert_grid_changes_figure(box):
    """Choose other options in each drop-down, for real, and check the figure follows."""
    box.scroll_into_view_if_needed()
    selects = box.locator("select")
    assert selects.count() >= 1
    seen = [_shown_image(box)]
    for i in range(selects.count()):
        select = selects.nth(i)
        n = select.locator("option").count()
        assert n >= 2
        select.select_option(index=n - 1)
        box.page.wait_for_function(
            "([el, old]) => { const im = [...el.querySelectorAll('img.widget-image')]"
            ".filter(x => x.offsetParent !== null); return im.length === 1 && im[0].src !== old; }",
            arg=[box.element_handle(), seen[-1][0]], timeout=10_000)
        seen.append(_shown_image(box))
    pictures = [pixels for _, pixels in seen]
    assert len(set(pictures)) == len(pictures), "a choice did not change the figure"


def assert_every_widget_works(page, sliders, grids, *, timeout=20_000):
    """The page shows exactly ``sliders`` sliders and ``grids`` drop-down grids (once
    their first frame is drawn); drag every slider and change every drop-down, checking
    that the figure follows each time."""
    if sliders or grids:
        page.wait_for_selector(f"{SELECTOR if sliders else GRID_SELECTOR} img.widget-image",
                               timeout=timeout)
    boxes = page.locator(SELECTOR)
    assert boxes.count() == sliders
    for i in range(sliders):
        assert_slider_moves_figure(boxes.nth(i))
    grid_boxes = page.locator(GRID_SELECTOR)
    assert grid_boxes.count() == grids
    for i in range(grids):
        assert_grid_changes_figure(grid_boxes.nth(i))
