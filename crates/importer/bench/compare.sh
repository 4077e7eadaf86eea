#!/usr/bin/env bash
# Side-by-side throughput: tourdesk-importer (release example `wa_parse`) against the npm package
# whatsapp-chat-parser (latest) on Node, on the same synthetic exports built from corpus lines.
# Wall-clock times, best of RUNS runs: on a shared, loaded machine the best run is the one
# least disturbed by other processes.
#
# Usage: crates/importer/bench/compare.sh [size_mb]   (default 50)
# Env:   RUNS      runs per parser and mode, best counted (default 5)
#        CORPORA   shared corpora dir (default: ../shared/corpora beside the repo)
#        WORK      scratch dir for node_modules and generated files (default /tmp/tourdesk-importer-bench)
#        CARGO_TARGET_DIR is honoured.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
crate="$(cd "$here/.." && pwd)"
size_mb="${1:-50}"
corpora="${CORPORA:-$crate/../../../shared/corpora}"
work="${WORK:-/tmp/tourdesk-importer-bench}"
target="${CARGO_TARGET_DIR:-$crate/target}"
mkdir -p "$work"

echo "== building release examples" >&2
cargo build --quiet --release --examples --manifest-path "$crate/Cargo.toml" >&2

if [ ! -d "$work/node_modules/whatsapp-chat-parser" ]; then
  echo "== installing whatsapp-chat-parser@latest into $work" >&2
  (cd "$work" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund whatsapp-chat-parser@latest >&2)
fi
js_version="$(node -p "require('$work/node_modules/whatsapp-chat-parser/package.json').version")"
cat > "$work/run.mjs" <<'JS'
import { readFileSync } from 'node:fs';
import { parseString } from 'whatsapp-chat-parser';
// Prints "messages user_messages seconds_parse_only seconds_file_to_messages".
const t0 = process.hrtime.bigint();
const text = readFileSync(process.argv[2], 'utf8');
const t1 = process.hrtime.bigint();
const msgs = parseString(text, { parseAttachments: true });
const t2 = process.hrtime.bigint();
const users = msgs.filter((m) => m.author !== null).length;
console.log(`${msgs.length} ${users} ${Number(t2 - t1) / 1e9} ${Number(t2 - t0) / 1e9}`);
JS

runs="${RUNS:-5}"
# Runs a command printing "messages users seconds [seconds…]" $runs times; prints the first two
# fields and, for each seconds column, the smallest value seen (best run per column).
best_of() {
  for _ in $(seq "$runs"); do "$@"; done |
    awk '{ m = $1; u = $2; for (i = 3; i <= NF; i++) if (!(i in b) || $i < b[i]) b[i] = $i; n = NF }
         END { printf "%s %s", m, u; for (i = 3; i <= n; i++) printf " %s", b[i]; printf "\n" }'
}
ours() { # $1 = file, $2 = optional --in-memory
  "$target/release/examples/wa_parse" ${2:-} "$1" |
    sed -E 's/.*"messages":([0-9]+),"user_messages":([0-9]+),"seconds":([0-9.]+).*/\1 \2 \3/'
}
theirs() { (cd "$work" && node run.mjs "$1"); }
rate() { awk -v m="$1" -v s="$2" 'BEGIN{printf "%.0f", m/s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", a/b}'; }

echo "whatsapp-chat-parser $js_version on node $(node --version); messages/second, best of $runs runs"
printf '%-8s %4s | %-22s | %-22s | %-19s | %-19s | %-11s\n' style MiB "ours msgs (user)" "theirs msgs (user)" "file->msgs ours/th" "in-memory ours/th" "ratio f / m"
for style in android ios locales; do
  file="$work/$style-$size_mb.txt"
  [ -f "$file" ] || "$target/release/examples/gen_export" "$file" "$style" "$size_mb" "$corpora"
  mib=$(( $(stat -c %s "$file") / 1048576 ))
  read -r om ou os < <(best_of ours "$file")
  read -r _ _ osm < <(best_of ours "$file" --in-memory)
  read -r jm ju jsm jsf < <(best_of theirs "$file")
  of=$(rate "$om" "$os"); omem=$(rate "$om" "$osm"); jf=$(rate "$jm" "$jsf"); jmem=$(rate "$jm" "$jsm")
  printf '%-8s %4s | %9s (%9s) | %9s (%9s) | %9s %9s | %9s %9s | %4sx %4sx\n' \
    "$style" "$mib" "$om" "$ou" "$jm" "$ju" "$of" "$jf" "$omem" "$jmem" "$(ratio "$of" "$jf")" "$(ratio "$omem" "$jmem")"
done
echo "file->msgs: from the path to parsed messages (read + decode + parse) for both;"
echo "in-memory: ours parses bytes already read, theirs parseString on a string already decoded."
