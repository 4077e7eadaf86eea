#!/usr/bin/env bash
# Runs every Tourdesk test on a fresh clone: installs what is missing, then Rust unit and
# integration tests (benchmarks run once as tests), UI unit tests, and the end-to-end test that
# drives the real app window with tauri-driver under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
# Every suite that needs Chromium fails (never skips) when it is missing.
export TOURDESK_REQUIRE_BROWSER=1
./scripts/setup.sh --test
export CARGO_TERM_COLOR=never

step() { printf '\n===== %s =====\n' "$1"; shift; "$@"; }

step "Rust: unit, integration and bench smoke tests" cargo test --workspace --all-targets
step "Secrets: keychain tests against a real Secret Service" crates/secrets/run-keychain-tests.sh
step "WhatsApp sidecar: protocol, fake and offline real adapter" \
  npm test --workspace sidecar/whatsapp
step "UI: unit tests" npm test --workspace ui
source scripts/lib/signing.sh
signing_throwaway_key
step "App: debug build with the bundled UI, packaged as a signed .deb (throwaway key, loopback update server)" \
  npx tauri build --debug --bundles deb --config "$(signing_test_config)"
step "Package: the .deb carries the sidecar and its Node.js; every Depends entry installs from Debian 12" \
  scripts/check-deb.sh debug
step "End to end: the real window under Xvfb" \
  dbus-run-session -- xvfb-run -a -s "-screen 0 1366x860x24" npm test --workspace e2e
printf '\nAll Tourdesk test suites passed.\n'
