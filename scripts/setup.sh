#!/usr/bin/env bash
# Installs everything Tourdesk needs to build, run and test on Debian 12 (or Ubuntu 22.04+).
# Safe to run again: it only installs what is missing. Needs root or sudo for apt packages.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

APT_BUILD=(libwebkit2gtk-4.1-dev build-essential libxdo-dev libssl-dev libayatana-appindicator3-dev
  librsvg2-dev pkg-config file libdbus-1-dev)
APT_TEST=(xvfb xauth dbus-x11 webkit2gtk-driver imagemagick gnome-keyring libsecret-1-0 chromium
  fonts-noto-core fonts-dejavu-core procps)

want=("${APT_BUILD[@]}")
if [[ "${1:-}" == "--test" ]]; then want+=("${APT_TEST[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  say "Rust is missing: install it with rustup (https://rustup.rs), then run this again."
  exit 1
fi
if ! command -v node >/dev/null || (( $(node -p 'process.versions.node.split(".")[0]') < 20 )); then
  say "Node.js 20 or newer is missing: install it (e.g. from your distribution or nodejs.org), then run this again."
  exit 1
fi

# npm packages: reinstall only when the lock file changed since the last install.
stamp=node_modules/.tourdesk-lock.sha256
sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$sum" ]]; then
  say "installing npm packages"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$sum" > "$stamp"
fi

# The WhatsApp sidecar as the app ships it (bundle + its run-time node_modules).
say "staging the WhatsApp sidecar"
./scripts/stage-sidecar.sh

if [[ "${1:-}" == "--test" ]] && ! command -v tauri-driver >/dev/null; then
  say "installing tauri-driver"
  cargo install tauri-driver --locked
fi
