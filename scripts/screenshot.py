"""Take the README's pictures of the built book: a page, a slider before/after a move, the
table of contents and "On this page" opened on a phone (390 x 844), and a page of the
Chinese edition on a desktop and on a phone.

Usage: python scripts/screenshot.py BUILT_HTML_DIR OUT_DIR
Serves BUILT_HTML_DIR on 127.0.0.1 and drives Debian's Chromium (as the tests do).
"""

import functools
import http.server
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from sliders import SELECTOR, drag_slider  # noqa: E402


def main(root, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/chapters/activations.html"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("DLBOOK_CHROMIUM", CHROMIUM),
                                    args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url, wait_until="networkidle")
        page.wait_for_selector(".katex")
        page.screenshot(path=out / "page.png")
        box = page.locator(SELECTOR).first
        box.scroll_into_view_if_needed()
        page.wait_for_selector(f"{SELECTOR} img.widget-image")
        box.screenshot(path=out / "slider-before.png")
        drag_slider(box, 0.95)
        page.wait_for_timeout(500)
        box.screenshot(path=out / "slider-after.png")
        phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
        phone.goto(url.replace("activations", "regularization"), wait_until="networkidle")
        for toggle, dialog, name in [(".primary-toggle", "#pst-primary-sidebar-modal", "toc"),
                                     (".secondary-toggle", "#pst-secondary-sidebar-modal",
                                      "on-this-page")]:
            next(b for b in phone.locator(toggle).all() if b.is_visible()).click()
            phone.wait_for_function(f"() => document.querySelector('{dialog}').open")
            phone.wait_for_timeout(400)
            phone.screenshot(path=out / f"phone-{name}.png")
            phone.keyboard.press("Escape")
            phone.wait_for_timeout(300)
        zh = url.replace("/chapters/", "/zh/chapters/")
        desk = browser.new_page(viewport={"width": 1280, "height": 900})
        desk.goto(zh, wait_until="networkidle")
        desk.wait_for_selector(".katex")
        desk.screenshot(path=out / "zh-page.png")
        phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
        phone.goto(zh.replace("activations", "regularization"), wait_until="networkidle")
        phone.screenshot(path=out / "zh-phone.png")
        browser.close()
    server.shutdown()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
