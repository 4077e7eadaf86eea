#!/usr/bin/env bash
# Side by side: tourdesk-importer against the npm package whatsapp-chat-parser (4.0.2 unless
# JS_VERSION says otherwise) on Node, on the same files:
#   - corpus-<MiB>: every export of the copied corpus (tests/corpora/wa-exports) concatenated,
#     over and over, to at least <MiB> MiB — real exports, all their header styles;
#   - android / ios / locales: synthetic exports whose bodies are the text messages of the
#     corpus and of the project's fixtures (seven languages), see examples/gen_export.rs.
# Two tables:
#   1. dry run, wall time of the whole process: ours = `dry_run` example (read, parse, language
#      of the client, first funnel status, JSON report); theirs = node reading the file and
#      `parseString` (no language, no status). Best of RUNS runs.
#   2. parser only, messages per second measured inside each process (read + decode + parse,
#      and parse alone on bytes/string already in memory).
#
# Usage: crates/importer/bench/compare.sh [size_mb]   (default 50)
# Env:   RUNS        runs per parser and mode, best counted (default 5)
#        WORK        scratch dir for node_modules and generated files (default /tmp/tourdesk-importer-bench)
#        JS_VERSION  whatsapp-chat-parser version (default 4.0.2)
#        CARGO_TARGET_DIR is honoured.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
crate="$(cd "$here/.." && pwd)"
size_mb="${1:-50}"
corpus="$crate/tests/corpora/wa-exports"
fixtures="$crate/tests/fixtures"
work="${WORK:-/tmp/tourdesk-importer-bench}"
target="${CARGO_TARGET_DIR:-$crate/../../target}"
js_wanted="${JS_VERSION:-4.0.2}"
runs="${RUNS:-5}"
mkdir -p "$work"

echo "== building release examples" >&2
cargo build --quiet --release --examples -p tourdesk-importer >&2

if [ "$(node -p "try{require('$work/node_modules/whatsapp-chat-parser/package.json').version}catch(e){''}")" != "$js_wanted" ]; then
  echo "== installing whatsapp-chat-parser@$js_wanted into $work" >&2
  (cd "$work" && { [ -f package.json ] || npm init -y >/dev/null 2>&1; } &&
    npm install --no-audit --no-fund "whatsapp-chat-parser@$js_wanted" >&2)
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

# The corpus exports (those that hold messages), concatenated until the file is big enough.
corpus_file="$work/corpus-$size_mb.txt"
if [ ! -f "$corpus_file" ]; then
  mapfile -t sources < <(find "$corpus" -name '*.txt' ! -name 'empty.txt' ! -name 'not-a-whatsapp-chat.txt' | sort)
  : > "$corpus_file"
  while [ "$(stat -c %s "$corpus_file")" -lt $((size_mb << 20)) ]; do
    for _ in $(seq 200); do cat "${sources[@]}" >> "$corpus_file"; done
  done
fi
files=("$corpus_file")
for style in android ios locales; do
  file="$work/$style-$size_mb.txt"
  [ -f "$file" ] || "$target/release/examples/gen_export" "$file" "$style" "$size_mb" "$corpus" "$fixtures"
  files+=("$file")
done

# Runs a command printing "messages users seconds [seconds…]" $runs times; prints the first two
# fields and, for each seconds column, the smallest value seen (best run per column).
best_of() {
  for _ in $(seq "$runs"); do "$@"; done |
    awk '{ m = $1; u = $2; for (i = 3; i <= NF; i++) if (!(i in b) || $i < b[i]) b[i] = $i; n = NF }
         END { printf "%s %s", m, u; for (i = 3; i <= n; i++) printf " %s", b[i]; printf "\n" }'
}
# Wall time in seconds of a whole command, its output discarded.
wall() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" > /dev/null
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b - a) / 1e9}'
}
best_wall() {
  local best=""
  for _ in $(seq "$runs"); do
    local t
    t=$(wall "$@")
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN{exit !(t < b)}'; then best=$t; fi
  done
  echo "$best"
}
ours_dry() { "$target/release/examples/dry_run" --own "Olga Tourdesk" "$1"; }
ours() { # $1 = file, $2 = optional --in-memory
  "$target/release/examples/wa_parse" ${2:-} "$1" |
    sed -E 's/.*"messages":([0-9]+),"user_messages":([0-9]+),"seconds":([0-9.]+).*/\1 \2 \3/'
}
theirs() { (cd "$work" && node run.mjs "$1"); }
rate() { awk -v m="$1" -v s="$2" 'BEGIN{printf "%.0f", m/s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", a/b}'; }
mib() { echo $(( $(stat -c %s "$1") / 1048576 )); }

echo "whatsapp-chat-parser $js_version on node $(node --version); best of $runs runs; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "1. dry run (ours: parse + language + first status + report) vs their parse, wall time of the process"
printf '%-14s %4s | %-9s %-9s | %-9s %-9s | %s\n' file MiB "ours msgs" "their msgs" "ours s" "theirs s" "ratio"
for file in "${files[@]}"; do
  om=$(ours_dry "$file" | sed -E 's/.*"messages":([0-9]+),.*/\1/')
  read -r jm _ _ _ < <(theirs "$file")
  ow=$(best_wall ours_dry "$file")
  jw=$(best_wall theirs "$file")
  printf '%-14s %4s | %9s %9s | %9s %9s | %5sx\n' "$(basename "$file" .txt)" "$(mib "$file")" "$om" "$jm" "$ow" "$jw" "$(ratio "$jw" "$ow")"
done
echo
echo "2. parser only, messages/second inside the process"
printf '%-14s %4s | %-22s | %-22s | %-19s | %-19s | %-11s\n' file MiB "ours msgs (user)" "theirs msgs (user)" "file->msgs ours/th" "in-memory ours/th" "ratio f / m"
for file in "${files[@]}"; do
  read -r om ou os < <(best_of ours "$file")
  read -r _ _ osm < <(best_of ours "$file" --in-memory)
  read -r jm ju jsm jsf < <(best_of theirs "$file")
  of=$(rate "$om" "$os"); omem=$(rate "$om" "$osm"); jf=$(rate "$jm" "$jsf"); jmem=$(rate "$jm" "$jsm")
  printf '%-14s %4s | %9s (%9s) | %9s (%9s) | %9s %9s | %9s %9s | %4sx %4sx\n' \
    "$(basename "$file" .txt)" "$(mib "$file")" "$om" "$ou" "$jm" "$ju" "$of" "$jf" "$omem" "$jmem" "$(ratio "$of" "$jf")" "$(ratio "$omem" "$jmem")"
done
echo "file->msgs: from the path to parsed messages (read + decode + parse) for both;"
echo "in-memory: ours parses bytes already read, theirs parseString on a string already decoded."
