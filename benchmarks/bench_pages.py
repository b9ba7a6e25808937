"""What each built page costs a reader: first contentful paint and bytes transferred.

    python benchmarks/bench_pages.py [_build/html] [--runs 5]

Serves the built book on 127.0.0.1 (Python's http.server, no compression) and opens each
chapter in headless Chromium (Playwright, the flags of the test suite) with an empty
cache. For every page it reports the median over the runs of the first contentful paint
(the browser's own `paint` timing entry), the time until the widgets' first frame is on
screen (widget pages), and the uncompressed bytes of every response the page loads
(HTML, scripts, styles, fonts, images), with the largest files. Also prints the size of
`_static` and the share of it that some page requested. Prints a Markdown table that
benchmarks/README.md quotes, with the machine it ran on.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

PAGES = ["chapters/intro.html", "chapters/activations.html", "chapters/regularization.html",
         "chapters/initialization.html", "chapters/cnn_mnist.html", "chapters/glossary.html",
         "chapters/references.html"]
WIDGETS = "img.widget-image"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure(browser, url, path):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sizes = {}

    def on_response(response):
        try:
            sizes[response.url] = len(response.body())
        except Exception:      # redirects and aborted requests have no body
            pass

    page.on("response", on_response)
    page.goto(f"{url}/{path}", wait_until="load")
    widget_ms = None
    if page.locator("script[type='application/vnd.jupyter.widget-view+json']").count():
        page.wait_for_selector(WIDGETS, timeout=30_000)
        widget_ms = page.evaluate("performance.now()")
    page.wait_for_load_state("networkidle")
    fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || "
                        "{startTime: NaN}).startTime")
    context.close()
    return fcp, widget_ms, sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", default="_build/html")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(args.html).resolve()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    from playwright.sync_api import sync_playwright

    requested = set()
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for path in PAGES:
            runs = [measure(browser, url, path) for _ in range(args.runs)]
            sizes = runs[-1][2]
            requested |= {unquote(urlparse(u).path) for u in sizes}
            widget = [w for _, w, _ in runs if w is not None]
            largest = sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
            rows.append((path, statistics.median(f for f, _, _ in runs),
                         statistics.median(widget) if widget else None,
                         sum(sizes.values()), len(sizes),
                         ", ".join(f"{Path(urlparse(u).path).name} {b / 1e6:.2f} MB"
                                   for u, b in largest)))
        browser.close()
    server.shutdown()

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "unknown CPU")
    print(f"\n{cpu}, {os.cpu_count()} CPUs; Chromium {CHROMIUM}; pages served from "
          f"127.0.0.1, no compression, empty cache; median of {args.runs} loads\n")
    print("| page | first contentful paint | widgets on screen | transferred | requests "
          "| largest files |")
    print("|---|---|---|---|---|---|")
    for path, fcp, widget, total, n, largest in rows:
        print(f"| {path} | {fcp:.0f} ms | {f'{widget:.0f} ms' if widget else '–'} | "
              f"{total / 1e6:.2f} MB | {n} | {largest} |")
    static = root / "_static"
    files = [f for f in static.rglob("*") if f.is_file()]
    total = sum(f.stat().st_size for f in files)
    used = sum(f.stat().st_size for f in files
               if "/" + str(f.relative_to(root)) in requested)
    print(f"\n_static: {total / 1e6:.1f} MB in {len(files)} files; requested by some page: "
          f"{used / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
