"""The draw-a-digit lab's budget: bytes it adds to the MNIST page, and its forward pass time.

    python benchmarks/bench_lab.py [_build/html] [--repeats 200]

Opens the built MNIST chapter from disk (``file://``) in headless Chromium (Playwright, the
test suite's flags), waits for the lab, then loads its test-digit buttons in turn
``--repeats`` times; each load runs the page's forward pass once, timed inside the page
(``performance.now()`` around ``forward`` only, not the drawing of the bars and maps).
Prints the bytes of the lab's fragment in the page (style, script, weights, test digits),
the forward pass's median, 90th percentile and maximum, and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

FRAGMENT = re.compile(r"<style>/\* dlbook draw-a-digit lab.*?\);</script>", re.S)


def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", default="_build/html", type=Path)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    page_file = args.html / "chapters" / "cnn_mnist.html"
    text = page_file.read_text(encoding="utf-8")
    fragment = FRAGMENT.search(text)
    if fragment is None:
        raise SystemExit(f"no lab found in {page_file}")
    # The fragment as the page holds it (HTML-escaped by nothing: it is raw output).
    added = len(fragment.group(0).encode())

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        page.wait_for_selector("#digit-lab[data-ready='1']", timeout=30_000)
        times = page.evaluate("""n => {
            const buttons = [...document.querySelectorAll('#digit-lab button.dlbook-lab-example')];
            const out = [];
            for (let i = 0; i < n; i++) {
                buttons[i % buttons.length].click();
                out.push(Number(document.querySelector('#digit-lab').dataset.forwardMs));
            }
            return out;
        }""", args.repeats)
        browser.close()
    times.sort()
    print(f"machine: {cpu_name()}, {os.cpu_count()} CPUs; Chromium {CHROMIUM}")
    print()
    print("| what | value |")
    print("|---|---|")
    print(f"| bytes the lab adds to the page | {added / 1024:.0f} KiB ({added:,} bytes) |")
    print(f"| forward pass, median of {len(times)} | {statistics.median(times):.1f} ms |")
    print(f"| forward pass, 90th percentile | {times[int(0.9 * (len(times) - 1))]:.1f} ms |")
    print(f"| forward pass, largest | {times[-1]:.1f} ms |")


if __name__ == "__main__":
    main()
