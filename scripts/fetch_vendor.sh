#!/usr/bin/env bash
# Fetch the third-party browser assets the built book serves itself, so that a
# page makes no request to any outside host:
#   - @jupyter-widgets/html-manager 1.x (renders the saved ipywidgets 8 state;
#     the 0.x line cannot), BSD-3-Clause;
#   - MathJax 3 (renders the math), Apache-2.0.
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

DEST=assets/dlbook-vendor
STAMP="$DEST/.versions"
WANT="$HTML_MANAGER $MATHJAX"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
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

rm -rf "$DEST"
mkdir -p "$DEST/html-manager" "$DEST/mathjax"
# embed.js is the standalone (no require.js) build; the hashed files beside it
# are the Font Awesome fonts its CSS refers to.
cp "$hm"/dist/embed.js "$hm"/dist/embed.js.LICENSE.txt "$DEST/html-manager/"
find "$hm/dist" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9a-f]{20}\.(eot|svg|ttf|woff|woff2)' \
    -exec cp {} "$DEST/html-manager/" \;
cp "$hm/package.json" "$DEST/html-manager/package.json"
cp -r "$mj/es5/." "$DEST/mathjax/"
cp "$mj/LICENSE" "$DEST/mathjax/LICENSE"
echo "$WANT" > "$STAMP"
echo "fetch_vendor: $WANT -> $DEST"
