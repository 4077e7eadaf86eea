#!/usr/bin/env bash
# On demand (not in the test command): start-up time and idle memory of Tourdesk against a
# hello-world Tauri app built the same way (same profile, same Cargo.lock, same target folder,
# generated in a temp folder and never committed), and separately of the WhatsApp sidecar and
# its Chromium. Figures go to the terminal; docs/benchmarks.md keeps the measured ones.
#   scripts/bench-startup.sh [debug|release] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-release}
runs=${2:-5}
flag=()
[[ "$profile" == "debug" ]] && flag=(--debug)
say() { printf '\033[1m[bench]\033[0m %s\n' "$*"; }

say "building Tourdesk ($profile, no bundle)"
npx tauri build "${flag[@]}" --no-bundle >/dev/null

hello=$(mktemp -d)
trap 'rm -rf "$hello"' EXIT
say "generating and building the hello-world Tauri app in $hello (same Cargo.lock and target folder)"
mkdir -p "$hello/src" "$hello/dist"
cat > "$hello/Cargo.toml" <<TOML
[package]
name = "hello-bench"
version = "0.1.0"
edition = "2021"
[build-dependencies]
tauri-build = { version = "2", features = [] }
[dependencies]
tauri = { version = "2", features = [] }
[features]
custom-protocol = ["tauri/custom-protocol"]
[profile.dev]
debug = 1
[profile.dev.package."*"]
opt-level = 1
debug = false
[workspace]
TOML
cp Cargo.lock "$hello/Cargo.lock"
cat > "$hello/build.rs" <<'RS'
fn main() { tauri_build::build() }
RS
cat > "$hello/src/main.rs" <<'RS'
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
#[tauri::command]
fn ready() {
    let ms = STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or(0);
    println!("tourdesk-first-screen {ms}");
}
fn main() {
    let _ = STARTED.set(std::time::Instant::now());
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("hello-world runs");
}
RS
cat > "$hello/dist/index.html" <<'HTML'
<!doctype html><html><head><meta charset="utf-8"><title>Hello</title></head>
<body><h1>Hello, world</h1><button>OK</button>
<script>addEventListener("DOMContentLoaded", () => window.__TAURI_INTERNALS__.invoke("ready"));</script>
</body></html>
HTML
cat > "$hello/tauri.conf.json" <<'JSON'
{ "productName": "hello-bench", "version": "0.1.0", "identifier": "bench.hello.world",
  "build": { "frontendDist": "dist" },
  "app": { "windows": [ { "title": "Hello", "width": 1280, "height": 800 } ] },
  "bundle": { "active": false, "icon": [] } }
JSON
mkdir -p "$hello/icons" && cp icons/32x32.png icons/128x128.png icons/128x128@2x.png icons/icon.png "$hello/icons/"
sed -i 's|"icon": \[\]|"icon": ["icons/32x32.png","icons/128x128.png","icons/128x128@2x.png","icons/icon.png"]|' "$hello/tauri.conf.json"
(cd "$hello" && CARGO_TARGET_DIR="$OLDPWD/target" npx --prefix "$OLDPWD" tauri build "${flag[@]}" --no-bundle >/dev/null)

say "measuring ($runs cold starts each, then idle memory)"
exec dbus-run-session -- xvfb-run -a -s "-screen 0 1366x860x24" \
  node scripts/bench/startup.mjs "target/$profile/tourdesk" "target/$profile/hello-bench" "$runs"
