#!/usr/bin/env bash
# Builds Tourdesk (installing whatever is missing) and launches it. Extra arguments go to the
# app, e.g. `./scripts/run.sh --data-dir /tmp/tourdesk-demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/lib/signing.sh
echo "[run] making a throwaway update-signing key (builds that sign need one; the release key is never here)"
signing_throwaway_key
echo "[run] building the app (the first build takes a few minutes)"
npx tauri build --no-bundle
app="$PWD/target/release/tourdesk"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "[run] built $app, but there is no display here."
  echo "[run] Run it on a desktop session, or under a virtual display:  xvfb-run -a $app"
  exit 0
fi
exec "$app" "$@"
