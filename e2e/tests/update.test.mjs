// End to end: signed updates against a loopback update server. Version A is the debug .deb the
// test command builds (signed with a throwaway key, built with --config pointing the updater at
// http://127.0.0.1:18917/{{channel}}/latest.json and the throwaway public key); version B is the
// same .deb re-signed for 0.2.0 (no second build). A finds B on its channel, downloads it with a
// progress bar and verifies it; "no update" (204, same or lower version) is quiet; a manifest
// that is not JSON, a missing package, a cut download, a tampered package, a tampered signature,
// a manifest pairing 0.3.0 with the 0.2.0 package and a package signed by another key are each
// refused with their own message and nothing installed; the system refusing the install shows the
// package manager command, with the verified package kept for it.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { appPids, byTestId, launch, repo, shot, ORG, createOrganisation } from "./harness.mjs";
import { manifest, startUpdateServer } from "./update-server.mjs";

const PORT = 18917; // the port scripts/lib/signing.sh builds the test app with
const BASE = `http://127.0.0.1:${PORT}`;
const step = (what) => console.error(`[e2e update] ${what}`);

/** The debug .deb, its signature and the throwaway key it was signed with (all from the build). */
function builtPackage() {
  const dir = path.join(repo, "target/debug/bundle/deb");
  const deb = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith(".deb")) : undefined;
  const key = path.join(repo, "target/updater-key/throwaway.key");
  assert.ok(deb, `no .deb in ${dir}: build it first (scripts/test.sh does: tauri build --debug --bundles deb --config "$(signing_test_config)")`);
  assert.ok(existsSync(key), `no throwaway signing key at ${key}: the .deb must be built by scripts/test.sh`);
  return { deb: path.join(dir, deb), key };
}

/**
 * Runs `tauri signer` with only the key given on its command line: the test command exports the
 * build's TAURI_SIGNING_PRIVATE_KEY*, which the signer would refuse beside `-f`. Its error output
 * is kept so a failure says why.
 */
function signer(args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TAURI_SIGNING_PRIVATE_KEY")));
  execFileSync("npx", ["tauri", "signer", ...args], { cwd: repo, env, stdio: ["ignore", "ignore", "pipe"] });
}

/** Signs `file` with `key` for `version` (tauri signer, as a release would); returns the .sig text. */
function sign(file, key, version) {
  signer(["sign", "-f", key, "-p", "", "--app-version", version, file]);
  return readFileSync(`${file}.sig`, "utf8").trim();
}

/** pkexec, sudo, zenity and kdialog that refuse, so the install is refused the same way on every machine. */
function refusingShims(dir) {
  for (const name of ["pkexec", "sudo", "zenity", "kdialog"]) {
    const p = path.join(dir, name);
    writeFileSync(p, "#!/bin/sh\necho \"$0 refused (test shim)\" >&2\nexit 126\n");
    chmodSync(p, 0o755);
  }
}

function installedTourdesk() {
  try {
    return execFileSync("dpkg-query", ["-W", "-f=${Status} ${Version}", "tourdesk"], { encoding: "utf8" });
  } catch {
    return "not installed";
  }
}

test("updates: finds, downloads with progress, verifies; every bad answer refused with nothing installed", { timeout: 300_000 }, async () => {
  const { deb, key } = builtPackage();
  const work = mkdtempSync(path.join(tmpdir(), "tourdesk-update-"));
  // Version A: the packaged binary (it carries the deb bundle marker the updater needs).
  execFileSync("dpkg-deb", ["-x", deb, path.join(work, "A")]);
  const appA = path.join(work, "A/usr/bin/tourdesk");
  assert.ok(readFileSync(appA).includes("__TAURI_BUNDLE_TYPE_VAR_DEB"), "the packaged binary carries the deb marker");

  // Version B: A's package re-signed for 0.2.0, and its bad twins.
  const bytes = readFileSync(deb);
  const b = path.join(work, "Tourdesk_0.2.0_amd64.deb");
  writeFileSync(b, bytes);
  const sigB = sign(b, key, "0.2.0");
  const tampered = Buffer.from(bytes);
  tampered[Math.floor(tampered.length / 2)] ^= 0xff;
  const sigText = Buffer.from(sigB, "base64").toString("utf8").split("\n");
  sigText[1] = sigText[1].slice(0, 10) + (sigText[1][10] === "A" ? "B" : "A") + sigText[1].slice(11);
  const tamperedSig = Buffer.from(sigText.join("\n")).toString("base64");
  const otherKey = path.join(work, "other.key");
  signer(["generate", "--ci", "-p", "", "-w", otherKey]);
  const other = path.join(work, "other.deb");
  writeFileSync(other, bytes);
  const sigOther = sign(other, otherKey, "0.2.0");

  const server = await startUpdateServer(PORT);
  server.set("/stable/latest.json", 204);
  server.setFile("/files/b.deb", bytes);
  server.setFile("/files/tampered.deb", tampered);
  server.setFile("/files/cut.deb", bytes, { cut: true });
  server.setFile("/files/slow.deb", bytes, { chunkMs: 150 });
  const shims = path.join(work, "shims");
  execFileSync("mkdir", ["-p", shims]);
  refusingShims(shims);
  const before = installedTourdesk();

  const savedApp = process.env.TOURDESK_APP;
  process.env.TOURDESK_APP = appA;
  const { browser, stop, dataDir } = await launch({ env: { PATH: `${shims}:${process.env.PATH}` } });
  try {
    await createOrganisation(browser);
    await (await byTestId(browser, "nav-settings")).click();
    assert.match(await (await byTestId(browser, "app-version")).getText(), /0\.1\.0/);

    step("the check at start-up asked the stable channel and, answered 204, showed nothing");
    await browser.waitUntil(async () => server.requests.includes("/stable/latest.json"), { timeout: 30_000, timeoutMsg: "no update check at start-up" });
    assert.equal(await (await browser.$('[data-testid="update-dialog"]')).isExisting(), false);

    const result = await byTestId(browser, "update-check-result");
    /** Clicks "check now" with this manifest and waits for the answer's state. */
    const checkWith = async (answer, want, channel = "stable") => {
      server.set(`/${channel}/latest.json`, answer);
      const asked = server.requests.length;
      await (await byTestId(browser, "update-check")).click();
      await browser.waitUntil(async () => server.requests.length > asked && (await result.getAttribute("data-state")) === want, {
        timeout: 20_000,
        timeoutMsg: `the check did not end in ${want} (now ${await result.getAttribute("data-state")})`,
      });
    };
    const noDialog = async (why) => assert.equal(await (await browser.$('[data-testid="update-dialog"]')).isExisting(), false, why);

    step("no update: 204, the same version, a lower version — quiet");
    await checkWith(204, "up_to_date");
    await noDialog("204 opens nothing");
    await checkWith(manifest("0.1.0", `${BASE}/files/b.deb`, sigB), "up_to_date");
    await checkWith(manifest("0.0.9", `${BASE}/files/b.deb`, sigB), "up_to_date");
    await noDialog("a lower version opens nothing");
    assert.match(await result.getText(), /новейшая версия \(0\.1\.0\)/);

    step("a manifest that is not JSON");
    await checkWith("<html>maintenance</html>", "failed");
    assert.equal(await result.getAttribute("data-failure"), "manifest_invalid");
    assert.match(await result.getText(), /не описанием обновления/);
    await noDialog("a failed check opens nothing");

    /** Offers `m`, installs from the dialog and expects `failure`; closes the dialog. */
    const installFails = async (m, failure) => {
      await checkWith(m, "available");
      const dialog = await byTestId(browser, "update-dialog");
      await (await byTestId(browser, "update-install")).click();
      await browser.waitUntil(async () => (await dialog.getAttribute("data-state")) === "failed", { timeout: 60_000, timeoutMsg: `install did not fail with ${failure}` });
      assert.equal(await (await byTestId(browser, "update-error")).getAttribute("data-failure"), failure);
      const text = await (await byTestId(browser, "update-error")).getText();
      await (await byTestId(browser, "update-close")).click();
      return text;
    };

    step("a package missing on the server");
    await installFails(manifest("0.2.0", `${BASE}/files/missing.deb`, sigB), "package_missing");
    step("a download cut halfway");
    await installFails(manifest("0.2.0", `${BASE}/files/cut.deb`, sigB), "download_incomplete");
    step("a tampered package, a tampered signature, 0.3.0 paired with the 0.2.0 package, another key");
    const refusedText = await installFails(manifest("0.2.0", `${BASE}/files/tampered.deb`, sigB), "signature_invalid");
    assert.match(refusedText, /не подписан издателем/);
    await installFails(manifest("0.2.0", `${BASE}/files/b.deb`, tamperedSig), "signature_invalid");
    await installFails(manifest("0.3.0", `${BASE}/files/b.deb`, sigB), "signature_invalid");
    await installFails(manifest("0.2.0", `${BASE}/files/b.deb`, sigOther), "signature_invalid");
    assert.equal(existsSync(path.join(dataDir, "updates")) ? readdirSync(path.join(dataDir, "updates")).length : 0, 0, "nothing unverified is kept");

    step("the good package: version X is available, progress, verified, the system refuses: the command");
    await checkWith(manifest("0.2.0", `${BASE}/files/slow.deb`, sigB, "Быстрее входящие.\nFaster inbox."), "available");
    const dialog = await byTestId(browser, "update-dialog");
    assert.match(await (await byTestId(browser, "update-version")).getText(), /Доступна версия 0\.2\.0/);
    assert.match(await (await byTestId(browser, "update-notes")).getText(), /Faster inbox/);
    await shot(browser, "update-available-ru");
    await (await byTestId(browser, "update-install")).click();
    const progress = await byTestId(browser, "update-progress", 20_000);
    await browser.waitUntil(async () => Number(await progress.getAttribute("value")) >= 20, { timeout: 20_000, timeoutMsg: "the progress bar did not move" });
    await shot(browser, "update-progress-ru");
    step("a second launch during the update hands over to the running app and exits");
    const [first] = appPids(dataDir);
    const second = spawn(appA, ["--data-dir", dataDir], { stdio: "ignore", env: { ...process.env, TOURDESK_DATA_DIR: dataDir } });
    const code = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the second launch did not exit within 20 s")), 20_000);
      second.once("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 0, "the second launch exits cleanly");
    assert.equal(readFileSync(path.join(dataDir, "tourdesk.lock"), "utf8"), String(first), "the data folder stays with the first app");
    await browser.waitUntil(async () => (await dialog.getAttribute("data-state")) === "failed", { timeout: 60_000, timeoutMsg: "the install did not end" });
    assert.equal(await (await byTestId(browser, "update-error")).getAttribute("data-failure"), "install_refused");
    const saved = path.join(dataDir, "updates", "Tourdesk_0.2.0_amd64.deb");
    assert.equal(await (await byTestId(browser, "update-command")).getText(), `sudo apt install ${saved}`);
    assert.ok(readFileSync(saved).equals(bytes), "the verified package is kept for the manual install");
    await shot(browser, "update-refused-ru");
    await (await byTestId(browser, "update-close")).click();

    step("the channel is a setting: beta asks the beta manifest; English dialog");
    await (await byTestId(browser, "ui-lang-en")).click();
    await (await byTestId(browser, "update-channel")).selectByAttribute("value", "beta");
    await browser.waitUntil(async () => (await (await byTestId(browser, "update-channel")).getValue()) === "beta", { timeout: 5_000 });
    await checkWith(manifest("0.2.0", `${BASE}/files/slow.deb`, sigB, "Faster inbox.\nArabic replies read right to left."), "available", "beta");
    assert.ok(server.requests.includes("/beta/latest.json"));
    assert.match(await (await byTestId(browser, "update-version")).getText(), /Version 0\.2\.0 is available/);
    await shot(browser, "update-available-en");
    await (await byTestId(browser, "update-install")).click();
    const progressEn = await byTestId(browser, "update-progress", 20_000);
    await browser.waitUntil(async () => Number(await progressEn.getAttribute("value")) >= 20, { timeout: 20_000 });
    await shot(browser, "update-progress-en");
    await browser.waitUntil(async () => (await dialog.getAttribute("data-state")) === "failed", { timeout: 60_000 });
    assert.match(await (await byTestId(browser, "update-dialog")).getText(), /Update with your package manager instead/);
    await shot(browser, "update-refused-en");
    await (await byTestId(browser, "update-close")).click();

    step("the installed version keeps working and nothing was installed");
    await (await byTestId(browser, "nav-clients")).click();
    await byTestId(browser, "nav-clients");
    assert.equal(installedTourdesk(), before, "dpkg's view of tourdesk is unchanged");
    const prefs = JSON.parse(readFileSync(path.join(dataDir, "desktop.json"), "utf8"));
    assert.equal(prefs.update_channel, "beta", "the channel was saved");
  } finally {
    await stop();
    await server.close();
    if (savedApp === undefined) delete process.env.TOURDESK_APP;
    else process.env.TOURDESK_APP = savedApp;
  }
});
