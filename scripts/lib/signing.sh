#!/usr/bin/env bash
# Update signing for builds made here. A build with createUpdaterArtifacts signs the package and
# fails without TAURI_SIGNING_PRIVATE_KEY; the release key never lives in this repository, so
# every local build that signs gets a fresh throwaway key in target/updater-key/ (git-ignored).
# Sourced by test.sh and run.sh.
#   signing_throwaway_key  → exports TAURI_SIGNING_PRIVATE_KEY(_PASSWORD), sets signing_pubkey
signing_dir=target/updater-key

signing_throwaway_key() {
  if [[ -n "${TAURI_SIGNING_PRIVATE_KEY:-}" ]]; then
    signing_pubkey=""
    return 0 # a real key was given (a release build): use it
  fi
  mkdir -p "$signing_dir"
  rm -f "$signing_dir/throwaway.key" "$signing_dir/throwaway.key.pub"
  npx tauri signer generate --ci -p "" -w "$signing_dir/throwaway.key" >/dev/null
  export TAURI_SIGNING_PRIVATE_KEY="$PWD/$signing_dir/throwaway.key"
  export TAURI_SIGNING_PRIVATE_KEY_PASSWORD=""
  signing_pubkey=$(cat "$signing_dir/throwaway.key.pub")
}

# The --config the loopback update test builds with: the throwaway public key and an update
# server on 127.0.0.1 over plain http (allowed only here, by dangerousInsecureTransportProtocol).
TOURDESK_TEST_UPDATE_PORT=18917
signing_test_config() {
  printf '{"plugins":{"updater":{"pubkey":"%s","endpoints":["http://127.0.0.1:%s/{{channel}}/latest.json"],"dangerousInsecureTransportProtocol":true}}}' \
    "$signing_pubkey" "$TOURDESK_TEST_UPDATE_PORT"
}
