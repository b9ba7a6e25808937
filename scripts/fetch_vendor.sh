#!/usr/bin/env bash
# Fetch the third-party browser assets the built book serves itself, so that a
# page makes no request to any outside host:
#   - @jupyter-widgets/html-manager 1.x (renders the saved ipywidgets 8 state;
#     the 0.x line cannot), BSD-3-Clause;
#   - MathJax 3 (renders the math), Apache-2.0;
#   - for the tests only, axe-core (the accessibility checker the browser tests inject
#     into each page), MPL-2.0: it goes to tests/vendor/, never into the book.
# Both come from the npm registry with `npm pack`, at pinned versions whose
# tarball integrity (sha512, as the registry publishes it) is checked below.
# Nothing is committed: they land in assets/dlbook-vendor/ (git-ignored), which the
# book's _config.yml copies into _build/html/_static/dlbook-vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."

HTML_MANAGER="@jupyter-widgets/html-manager@1.0.15"
HTML_MANAGER_SHA="sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA=="
MATHJAX="mathjax@3.2.2"
MATHJAX_SHA="sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
AXE="axe-core@4.14.1"
AXE_SHA="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
TEST_DEST=tests/vendor

DEST=assets/dlbook-vendor
STAMP="$DEST/.versions"
WANT="$HTML_MANAGER $MATHJAX $AXE pruned-1"
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

hm=$(fetch "$HTML_MANAGER" "$HTML_MANAGER_SHA")
mj=$(fetch "$MATHJAX" "$MATHJAX_SHA")
axe=$(fetch "$AXE" "$AXE_SHA")

rm -rf "$DEST"
mkdir -p "$DEST/html-manager" "$DEST/mathjax"
# embed.js is the standalone (no require.js) build; the hashed files beside it
# are the Font Awesome fonts its CSS refers to.
cp "$hm"/dist/embed.js "$hm"/dist/embed.js.LICENSE.txt "$DEST/html-manager/"
# Only the woff2/woff files: every browser that runs embed.js takes the first of these
# in the @font-face lists and never asks for the eot/svg/ttf fallbacks (2.5 MB).
find "$hm/dist" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9a-f]{20}\.(woff|woff2)' \
    -exec cp {} "$DEST/html-manager/" \;
cp "$hm/package.json" "$DEST/html-manager/package.json"
# MathJax: the one combined component the book loads (tex-chtml.js), what it may load
# later (TeX extensions on demand, the CHTML woff2 fonts, the accessibility and menu
# modules, the speech rule engine) and nothing else: the other combined builds
# (tex-svg.js, mml-chtml.js, ...; 17 MB) are never requested.
mkdir -p "$DEST/mathjax/input/tex" "$DEST/mathjax/output/chtml/fonts"
cp "$mj/es5/tex-chtml.js" "$DEST/mathjax/"
cp -r "$mj/es5/input/tex/extensions" "$DEST/mathjax/input/tex/"
cp -r "$mj/es5/output/chtml/fonts/woff-v2" "$DEST/mathjax/output/chtml/fonts/"
for part in a11y ui sre adaptors; do
    [[ -d "$mj/es5/$part" ]] && cp -r "$mj/es5/$part" "$DEST/mathjax/"
done
cp "$mj/LICENSE" "$DEST/mathjax/LICENSE"
rm -rf "$TEST_DEST/axe-core"
mkdir -p "$TEST_DEST/axe-core"
cp "$axe/axe.min.js" "$axe/LICENSE" "$TEST_DEST/axe-core/"
echo "$WANT" > "$STAMP"
echo "fetch_vendor: $WANT -> $DEST"
