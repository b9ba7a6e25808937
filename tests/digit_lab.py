"""Drawing on the MNIST chapter's draw-a-digit lab with the mouse, and what must follow
(shared by the built-book and the JupyterLab tests)."""

LAB = "#digit-lab"


def draw_strokes(page, strokes):
    """Draw polylines on the lab's pad with the mouse; points are fractions of its size."""
    pad = page.locator(f"{LAB} canvas.dlbook-lab-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    for stroke in strokes:
        (x0, y0), rest = stroke[0], stroke[1:]
        page.mouse.move(box["x"] + x0 * box["width"], box["y"] + y0 * box["height"])
        page.mouse.down()
        for x, y in rest:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=12)
        page.mouse.up()


SEVEN = [[(0.22, 0.2), (0.78, 0.2), (0.45, 0.85)]]   # the bar, then the long diagonal


def lab_pixels(page):
    """Sums of the preview's pixels and of every feature map's pixels."""
    return page.evaluate("""sel => {
        const sum = c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data
            .reduce((a, v, i) => a + (i % 4 === 3 ? 0 : v), 0);
        const root = document.querySelector(sel);
        return {preview: sum(root.querySelector('.dlbook-lab-preview')),
                maps: [...root.querySelectorAll('.dlbook-lab-map')].map(sum)};
    }""", LAB)


def check_lab(page):
    page.wait_for_selector(f"{LAB}[data-ready='1']", timeout=20_000)
    before = lab_pixels(page)
    assert before["preview"] == 0 and len(before["maps"]) == 32 + 64
    draw_strokes(page, SEVEN)
    page.wait_for_function(f"() => document.querySelector('{LAB}').dataset.prediction",
                           timeout=5_000)
    lab = page.locator(LAB)
    assert lab.get_attribute("data-prediction") == "7", page.locator(
        f"{LAB} .dlbook-lab-bars").inner_text()
    after = lab_pixels(page)
    assert after["preview"] > 0
    assert sum(m > 0 for m in after["maps"]) >= 48      # most maps now show something
    assert "the network says 7" in page.locator(f"{LAB} .dlbook-lab-result").inner_text()
    # Clear, then a real test digit from a button: its true label is on the button.
    page.locator(f"{LAB} button", has_text="Clear").click()
    cleared = lab_pixels(page)
    assert lab.get_attribute("data-prediction") is None and cleared["preview"] == 0
    assert not any(cleared["maps"])
    buttons = page.locator(f"{LAB} button.dlbook-lab-example")
    assert buttons.count() >= 6
    first = buttons.first
    first.click()
    assert lab.get_attribute("data-prediction") == first.inner_text().strip()
    wrong = page.locator(f"{LAB} button.dlbook-lab-example", has_text="✗")
    assert wrong.count() >= 1
    wrong.first.click()
    true = wrong.first.inner_text().split()[0]
    assert lab.get_attribute("data-prediction") != true

