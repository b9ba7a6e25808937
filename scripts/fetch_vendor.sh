#!/usr/bin/env bash
# Fetch the third-party browser assets the built book serves itself, so that a
# page makes no request to any outside host:
#   - KaTeX's style sheet and its woff2 fonts, MIT: the math is turned into HTML when the
#     book is built (sphinxcontrib-katex runs the KaTeX of the same version, which its
#     wheel carries, under Node.js), so a page needs only these, not a script;
#   - for the tests only, axe-core (the accessibility checker the browser tests inject
#     into each page), MPL-2.0: it goes to tests/vendor/, never into the book.
# (The widgets are drawn by the book's own assets/dlbook-widgets.js, 10 kB, and the
# theme's icons by its own icon font: no widget renderer, MathJax or Font Awesome script
# is served; issue #13.)
# Both come from the npm registry with `npm pack`, at pinned versions whose
# tarball integrity (sha512, as the registry publishes it) is checked below.
# Nothing is committed: they land in assets/dlbook-vendor/ (git-ignored), which the
# book's _config.yml copies into _build/html/_static/dlbook-vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."

KATEX="katex@0.16.22"   # the version sphinxcontrib-katex 0.9.11 renders with
KATEX_SHA="sha512-XCHRdUw4lf3SKBaJe4EvgqIuWwkPSo9XoeO8GjQW94Bp7TWv9hNhzZjZ+OH9yf1UmLygb7DIT5GSFQiyt16zYg=="
AXE="axe-core@4.14.1"
AXE_SHA="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
TEST_DEST=tests/vendor

DEST=assets/dlbook-vendor
STAMP="$DEST/.versions"
WANT="$KATEX $AXE"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" && -f "$TEST_DEST/axe-core/axe.min.js" ]]; then
    exit 0  # already fetched at these versions
fi
command -v npm >/dev/null || { echo "fetch_vendor: npm is needed (apt-get install npm, or Node.js from nodejs.org)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() {  # fetch SPEC EXPECTED_INTEGRITY -> prints the unpacked folder
    local spec=$1 want=$2 out
    out=$(cd "$tmp" && npm pack --silent --json "$spec")
    local file sri
    file=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])[0]["filename"])' "$out")
    sri=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])[0]["integrity"])' "$out")
    if [[ "$sri" != "$want" ]]; then
        echo "fetch_vendor: integrity of $spec is $sri, expected $want" >&2
        exit 1
    fi
    mkdir -p "$tmp/${file%.tgz}"
    tar xzf "$tmp/$file" -C "$tmp/${file%.tgz}"
    echo "$tmp/${file%.tgz}/package"
}

kx=$(fetch "$KATEX" "$KATEX_SHA")
axe=$(fetch "$AXE" "$AXE_SHA")

rm -rf "$DEST"
mkdir -p "$DEST/katex/fonts"
# The style sheet names each font as woff2, then woff, then ttf; every browser the book
# supports takes the woff2 and never asks for the others.
cp "$kx/dist/katex.min.css" "$kx/LICENSE" "$DEST/katex/"
cp "$kx"/dist/fonts/*.woff2 "$DEST/katex/fonts/"
rm -rf "$TEST_DEST/axe-core"
mkdir -p "$TEST_DEST/axe-core"
cp "$axe/axe.min.js" "$axe/LICENSE" "$TEST_DEST/axe-core/"
echo "$WANT" > "$STAMP"
echo "fetch_vendor: $WANT -> $DEST"
