// Measures start-up to the first interactive screen and idle resident memory of two Tauri apps
// (Tourdesk and the hello-world), then of the WhatsApp sidecar with its Chromium. Each app prints
// "tourdesk-first-screen <ms>" when its page is interactive; the time here is from spawn to that
// line. Memory: VmRSS summed over the app's process tree (app + WebKit processes) after 8 s idle.
// Every process is ours, ended by pid; every wait is bounded.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const [tourdesk, hello, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Parent pid of every process. */
function parents() {
  const map = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      map.set(Number(name), ppid);
    } catch {
      // exited
    }
  }
  return map;
}

/** `pid` and all its descendants. */
function tree(pid) {
  const map = parents();
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [p, pp] of map) if (pp === out[i]) out.push(p);
  return out;
}

function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function comm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

async function endTree(pid) {
  const pids = tree(pid);
  for (const p of pids.reverse()) {
    try {
      process.kill(p, "SIGTERM");
    } catch {
      // gone
    }
  }
  await sleep(500);
  for (const p of pids) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // gone
    }
  }
}

/** One start: ms to the first-screen line, and the idle RSS of the tree (MB, by process name). */
async function once(bin) {
  const data = mkdtempSync(path.join(tmpdir(), "bench-start-"));
  const t0 = performance.now();
  const child = spawn(bin, ["--data-dir", data], { stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, TOURDESK_DATA_DIR: data } });
  const ms = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin}: no first screen within 60 s`)), 60_000);
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      if (/tourdesk-first-screen \d+/.test(buf)) {
        clearTimeout(timer);
        resolve(performance.now() - t0);
      }
    });
    child.once("exit", (c) => reject(new Error(`${bin} exited (${c}) before its first screen`)));
  });
  await sleep(8_000);
  const byName = {};
  let total = 0;
  for (const p of tree(child.pid)) {
    const kb = rssKb(p);
    total += kb;
    byName[comm(p)] = (byName[comm(p)] ?? 0) + kb;
  }
  child.removeAllListeners("exit");
  await endTree(child.pid);
  rmSync(data, { recursive: true, force: true });
  return { ms, mb: total / 1024, byName };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function series(label, bin) {
  const rows = [];
  await once(bin); // first run warms the page cache; not counted
  for (let i = 0; i < runs; i++) rows.push(await once(bin));
  const ms = median(rows.map((r) => r.ms));
  const mb = median(rows.map((r) => r.mb));
  console.log(`${label}: start ${ms.toFixed(0)} ms (median of ${runs}; min ${Math.min(...rows.map((r) => r.ms)).toFixed(0)}, max ${Math.max(...rows.map((r) => r.ms)).toFixed(0)}), idle RSS ${mb.toFixed(1)} MB`);
  console.log(`  by process: ${Object.entries(rows.at(-1).byName).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} MB`).join(", ")}`);
  return { ms, mb };
}

/** The sidecar on the real adapter (Chromium starts; WhatsApp is unreachable offline), 20 s in. */
async function sidecar() {
  const stage = path.resolve("sidecar/whatsapp/stage");
  const data = mkdtempSync(path.join(tmpdir(), "bench-wa-"));
  const child = spawn(path.join(stage, "node/bin/node"), [path.join(stage, "sidecar.cjs")], { stdio: ["pipe", "pipe", "ignore"] });
  child.stdout.on("data", () => undefined);
  child.stdin.write(JSON.stringify({ v: 1, id: 1, type: "hello", data_dir: data, adapter: "real", options: {} }) + "\n");
  let peak = { total: 0, byName: {} };
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    await sleep(500);
    const byName = {};
    let total = 0;
    for (const p of tree(child.pid)) {
      const kb = rssKb(p);
      total += kb;
      const n = comm(p).startsWith("chrom") ? "chromium" : comm(p);
      byName[n] = (byName[n] ?? 0) + kb;
    }
    if (total > peak.total) peak = { total, byName };
  }
  child.stdin.write(JSON.stringify({ v: 1, id: 2, type: "shutdown" }) + "\n");
  await sleep(1_500);
  await endTree(child.pid);
  rmSync(data, { recursive: true, force: true });
  console.log(`sidecar + Chromium (real adapter, WhatsApp unreachable offline): peak RSS over 20 s ${(peak.total / 1024).toFixed(1)} MB`);
  console.log(`  by process: ${Object.entries(peak.byName).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} MB`).join(", ")}`);
}

// "-" as the hello-world path measures Tourdesk alone (when the baseline is not built).
const h = hello === "-" ? null : await series("hello-world", hello);
const t = await series("Tourdesk (first run screen)", tourdesk);
if (h) console.log(`Tourdesk − hello-world: start ${(t.ms - h.ms).toFixed(0)} ms (goal ≤ 500), memory ×${(t.mb / h.mb).toFixed(2)} (goal ≤ 1.30)`);
await sidecar();
