#!/usr/bin/env bash
# Checks the .deb that `tauri build --bundles deb` made: it carries the app, the WhatsApp
# sidecar with the node_modules it loads, and declares what it cannot carry (Node.js, Chromium)
# as package dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-debug}
deb=$(ls -t target/"$profile"/bundle/deb/*.deb 2>/dev/null | head -1 || true)
[[ -n "$deb" ]] || { echo "no .deb under target/$profile/bundle/deb" >&2; exit 1; }
fail() { echo "check-deb: $*" >&2; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends)
grep -q 'chromium' <<<"$depends" || fail "Depends does not name chromium: $depends"
grep -q 'nodejs' <<<"$depends" || fail "Depends does not name nodejs: $depends"
files=$(dpkg-deb -c "$deb")
grep -q 'usr/bin/tourdesk$' <<<"$files" || fail "no /usr/bin/tourdesk"
grep -q 'whatsapp-sidecar/sidecar.cjs$' <<<"$files" || fail "no sidecar script"
grep -q 'whatsapp-sidecar/node_modules/whatsapp-web.js/package.json$' <<<"$files" \
  || fail "no whatsapp-web.js beside the sidecar"
# The shipped sidecar starts and answers on its own (outside this source tree).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
script=$(find "$tmp" -path '*whatsapp-sidecar/sidecar.cjs' | head -1)
reply=$(echo '{"v":1,"id":1,"type":"ping"}' | timeout 10 node "$script" 2>/dev/null | head -1)
grep -q '"pong":true' <<<"$reply" || fail "the shipped sidecar did not answer a ping: $reply"
( cd "$(dirname "$script")" && node -e "require('whatsapp-web.js')" ) || fail "whatsapp-web.js does not load from the package"
echo "check-deb: $(basename "$deb") OK ($(du -h "$deb" | cut -f1)); Depends: $depends"
