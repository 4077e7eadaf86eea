#!/usr/bin/env bash
# Runs the keychain tests against a real Secret Service in two private D-Bus sessions:
#  1. gnome-keyring unlocked with a throw-away password, TOURDESK_REQUIRE_KEYCHAIN=1 (a missing
#     keychain fails instead of skipping): store, read back, replace, delete;
#  2. gnome-keyring started but never unlocked: the probe must say it is unusable, with a reason.
# Needs the Debian packages gnome-keyring and dbus-x11 (plus libdbus-1-dev and pkg-config to
# build). Uses a throw-away XDG home, so the developer's own keyring is never touched.
# Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")"
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install gnome-keyring dbus-x11" >&2; exit 1; }
done
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

run_session() { # $1 = name of the phase, $2 = script run inside the session; then cargo args
  local phase="$1" script="$2"; shift 2
  export XDG_DATA_HOME="$scratch/$phase/data" XDG_RUNTIME_DIR="$scratch/$phase/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  dbus-run-session -- bash -c "$script" bash "$@"
}

echo "== keychain tests: unlocked gnome-keyring (TOURDESK_REQUIRE_KEYCHAIN=1)"
TOURDESK_REQUIRE_KEYCHAIN=1 run_session unlocked '
  set -euo pipefail
  printf %s "tourdesk-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  cargo test --test keychain "$@" -- --test-threads=1
' "$@"

echo "== keychain tests: gnome-keyring never unlocked (the probe must report it)"
TOURDESK_EXPECT_LOCKED_KEYRING=1 run_session locked '
  set -euo pipefail
  gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1
  cargo test --test keychain "$@" -- --test-threads=1 never_unlocked
' "$@"
