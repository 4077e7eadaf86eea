#!/usr/bin/env bash
# Checks the .deb that `tauri build --bundles deb` made: it carries the app, the WhatsApp
# sidecar with the node_modules it loads and its own Node.js runtime (no nodejs dependency),
# its binary keeps the bundle-type marker the updater needs, the updater signature is there,
# and every Depends entry can be satisfied from stock Debian 12's archive (checked with
# apt-cache policy against this machine's apt sources, which must be Debian 12's only).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-debug}
deb=$(ls -t target/"$profile"/bundle/deb/*.deb 2>/dev/null | head -1 || true)
[[ -n "$deb" ]] || { echo "no .deb under target/$profile/bundle/deb" >&2; exit 1; }
fail() { echo "check-deb: $*" >&2; exit 1; }
say() { echo "check-deb: $*"; }

depends=$(dpkg-deb -f "$deb" Depends)
grep -q 'chromium' <<<"$depends" || fail "Depends does not name chromium: $depends"
if grep -qw 'nodejs' <<<"$depends"; then fail "Depends still names nodejs (the package carries its own): $depends"; fi

# Every entry (a|b|c alternatives) must have an alternative with a version in the configured
# archive (apt-cache madison lists archive versions only, not what happens to be installed)
# that satisfies its version constraint.
deps_installable() {
  local entry alt name op ver v found
  IFS=',' read -ra entries <<<"$1"
  for entry in "${entries[@]}"; do
    found=""
    IFS='|' read -ra alts <<<"$entry"
    for alt in "${alts[@]}"; do
      alt=$(xargs <<<"$alt")
      name=${alt%% *}
      op="" ver=""
      if [[ "$alt" =~ \(([\<\>=]+)\ *([^\)]+)\) ]]; then
        ver=${BASH_REMATCH[2]}
        case "${BASH_REMATCH[1]}" in '>=') op=ge ;; '<=') op=le ;; '>>') op=gt ;; '<<') op=lt ;; *) op=eq ;; esac
      fi
      while read -r v; do
        [[ -n "$v" ]] || continue
        if [[ -z "$op" ]] || dpkg --compare-versions "$v" "$op" "$ver"; then found="$name $v"; break; fi
      done < <(apt-cache madison "$name" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}')
      [[ -n "$found" ]] && break
    done
    [[ -n "$found" ]] || { echo "  '$(xargs <<<"$entry")': nothing in the archive satisfies it"; return 1; }
    echo "  '$(xargs <<<"$entry")': $found"
  done
}
origins=$(apt-cache policy | grep -o 'o=[^,]*' | sort -u | tr '\n' ' ')
[[ -n "$origins" ]] || fail "apt knows no archive (run apt-get update first)"
[[ "$origins" == "o=Debian " ]] || fail "apt sources other than Debian's are configured ($origins); the check needs stock Debian 12 only"
[[ "$(cut -d. -f1 /etc/debian_version 2>/dev/null)" == "12" ]] || fail "this is not Debian 12 ($(cat /etc/debian_version 2>/dev/null))"
say "Depends entries against Debian 12's archive:"
deps_installable "$depends" || fail "the .deb cannot be installed on stock Debian 12: $depends"

files=$(dpkg-deb -c "$deb")
grep -q 'usr/bin/tourdesk$' <<<"$files" || fail "no /usr/bin/tourdesk"
grep -q 'whatsapp-sidecar/sidecar.cjs$' <<<"$files" || fail "no sidecar script"
grep -q 'whatsapp-sidecar/node/bin/node$' <<<"$files" || fail "no Node.js runtime beside the sidecar"
grep -q 'whatsapp-sidecar/node_modules/whatsapp-web.js/package.json$' <<<"$files" \
  || fail "no whatsapp-web.js beside the sidecar"
[[ -s "$deb.sig" ]] || fail "no updater signature $deb.sig (createUpdaterArtifacts)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
# The updater picks the linux-x86_64-deb manifest entry only when the bundler's marker survives.
grep -aq '__TAURI_BUNDLE_TYPE_VAR_DEB' "$tmp/usr/bin/tourdesk" \
  || fail "/usr/bin/tourdesk lost the deb bundle-type marker: the updater could not install .deb updates"
# The shipped sidecar starts and answers on the shipped runtime (outside this source tree), with
# no node on PATH.
script=$(find "$tmp" -path '*whatsapp-sidecar/sidecar.cjs' | head -1)
node="$(dirname "$script")/node/bin/node"
[[ -x "$node" ]] || fail "the shipped Node.js is not executable"
nodever=$(env -i "$node" --version)
[[ "${nodever#v}" =~ ^2[0-9]\. ]] || fail "the shipped Node.js is $nodever, not 20+"
reply=$(echo '{"v":1,"id":1,"type":"ping"}' | timeout 10 env -i PATH=/nonexistent "$node" "$script" 2>/dev/null | head -1)
grep -q '"pong":true' <<<"$reply" || fail "the shipped sidecar did not answer a ping: $reply"
( cd "$(dirname "$script")" && env -i "$node" -e "require('whatsapp-web.js')" ) || fail "whatsapp-web.js does not load from the package"
say "$(basename "$deb") OK ($(du -h "$deb" | cut -f1)); Node.js $nodever inside; Depends: $depends"
