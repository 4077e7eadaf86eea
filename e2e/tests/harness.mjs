// Starts tauri-driver against the real Tourdesk binary and opens a WebDriver session on its
// window. Everything runs on loopback; every wait is bounded.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../..");

/** The app binary built by `tauri build --debug --no-bundle` (override with TOURDESK_APP). */
export function appBinary() {
  return process.env.TOURDESK_APP ?? path.join(repo, "target/debug/tourdesk");
}

async function waitForDriver(port, deadlineMs) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`tauri-driver did not answer on port ${port} within ${deadlineMs} ms`);
}

/** Launches the app with a fresh data folder (and extra environment, e.g. the fake WhatsApp
 * adapter); returns {browser, dataDir, stop}. */
export async function launch({ dataDir, env = {} } = {}) {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), "tourdesk-e2e-"));
  const port = 4444;
  const driver = spawn(process.env.TAURI_DRIVER ?? "tauri-driver", ["--port", String(port)], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env, TOURDESK_DATA_DIR: dir },
  });
  await waitForDriver(port, 20_000);
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: appBinary(), args: ["--data-dir", dir] },
    },
  });
  const stop = async () => {
    try {
      await browser.deleteSession();
    } finally {
      driver.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 300));
      await endApp(dir);
    }
  };
  return { browser, dataDir: dir, stop };
}

/** Pids of the app processes started with `--data-dir dir` (this test's own, by its data folder). */
export function appPids(dir) {
  const pids = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0");
      const i = argv.indexOf("--data-dir");
      if (i >= 0 && argv[i + 1] === dir) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Waits up to 5 s for the app of `dir` to exit, then ends it (a window kept in the tray would
 * otherwise outlive its session and hold the single-instance name for the next test). */
async function endApp(dir) {
  const until = Date.now() + 5_000;
  while (appPids(dir).length && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  for (const pid of appPids(dir)) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

/** The element with this data-testid, once it is displayed. */
export async function byTestId(browser, id, timeout = 15_000) {
  const el = await browser.$(`[data-testid="${id}"]`);
  await el.waitForDisplayed({ timeout, timeoutMsg: `[data-testid="${id}"] not shown within ${timeout} ms` });
  return el;
}

/** Saves a screenshot under $E2E_SHOTS (if set) for people to look at. */
export async function shot(browser, name) {
  if (!process.env.E2E_SHOTS) return;
  await browser.saveScreenshot(path.join(process.env.E2E_SHOTS, `${name}.png`));
}

/** The organisation every e2e test creates on its first start. */
export const ORG = { org: "Soul KG", admin: "Айгуль Токтогулова", email: "aigul@soul.kg", password: "e2e password 123" };

/** Fills the first-run screen, creates the organisation; returns the recovery code shown once. */
export async function createOrganisation(browser, org = ORG) {
  await (await byTestId(browser, "firstrun-org", 60_000)).setValue(org.org);
  await (await byTestId(browser, "firstrun-admin")).setValue(org.admin);
  await (await byTestId(browser, "firstrun-email")).setValue(org.email);
  await (await byTestId(browser, "firstrun-password")).setValue(org.password);
  await (await byTestId(browser, "firstrun-submit")).click();
  const code = await (await byTestId(browser, "recovery-code")).getText();
  await (await byTestId(browser, "recovery-continue")).click();
  return code.trim();
}

/** Plays WhatsApp's side through the `wa_fake` command (the fake adapter only); returns its answer. */
export async function waFake(browser, kind, params = {}) {
  const r = await browser.executeAsync(
    (kind, params, done) => {
      window.__TAURI_INTERNALS__
        .invoke("wa_fake", { kind, params })
        .then((ok) => done({ ok }))
        .catch((err) => done({ err }));
    },
    kind,
    params,
  );
  if (r.err) throw new Error(`${kind}: ${JSON.stringify(r.err)}`);
  return r.ok;
}
