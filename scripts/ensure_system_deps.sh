#!/usr/bin/env bash
# Make sure the system programs the build or the tests need are present:
#   npm       fetches the bundled browser assets (scripts/fetch_vendor.sh)
#   chromium  the headless browser of the browser tests (Debian's package)
#   node      Node.js: KaTeX typesets the book's math with it during the build, and the
#             draw-a-digit lab's parity test runs the lab's JavaScript with it
#   cjk-fonts a Chinese font for Chromium (WenQuanYi Micro Hei, 5 MB): the browser tests
#             and screenshots of the Chinese edition, which uses the reader's system fonts
# As root on Debian/Ubuntu they are installed with apt-get; otherwise the script
# says what to install and fails.
set -euo pipefail
need=()
for what in "$@"; do
    case "$what" in
        npm) command -v npm >/dev/null || need+=(npm) ;;
        node) command -v node >/dev/null || need+=(nodejs) ;;
        chromium) [[ -x "${DLBOOK_CHROMIUM:-/usr/bin/chromium}" ]] || need+=(chromium) ;;
        cjk-fonts) [[ -n "$(fc-list :lang=zh-cn family 2>/dev/null)" ]] || need+=(fonts-wqy-microhei) ;;
        *) echo "ensure_system_deps: unknown dependency '$what' (allowed: npm, node, chromium, cjk-fonts)" >&2; exit 2 ;;
    esac
done
[[ ${#need[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "ensure_system_deps: installing ${need[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
    echo "ensure_system_deps: please install ${need[*]} (Debian/Ubuntu: sudo apt-get install ${need[*]});" \
         "for another Chromium binary set DLBOOK_CHROMIUM=/path/to/chromium" >&2
    exit 1
fi
