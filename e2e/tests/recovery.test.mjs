// End to end through the real window: a data file damaged on disk (its first page overwritten,
// as a failing disk or a killed copy leaves it) opens on the recovery screen instead of a blank
// window; restoring the newest backup signs back in with the data there.
import assert from "node:assert/strict";
import { closeSync, existsSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { byTestId, createOrganisation, launch, ORG, shot } from "./harness.mjs";

const step = (what) => console.error(`[e2e] ${what}`);
const CLIENT = "Азамат Бекмуратов";

/** Overwrites the file's first page and drops its WAL, as a copy of the bare file made by a
 * killed process leaves it (with the WAL still there, SQLite would read page 1 from it). */
function damage(dir) {
  const file = path.join(dir, "tourdesk.sqlite3");
  const fd = openSync(file, "r+");
  writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0);
  closeSync(fd);
  for (const side of ["-wal", "-shm"]) rmSync(`${file}${side}`, { force: true });
}

test("a damaged data file opens on the recovery screen and the newest backup brings the data back", { timeout: 300_000 }, async () => {
  step("Create the organisation, a client and a backup.");
  const first = await launch();
  const dir = first.dataDir;
  try {
    const b = first.browser;
    await createOrganisation(b, ORG);
    await (await byTestId(b, "nav-clients")).click();
    await (await byTestId(b, "client-new")).click();
    await (await byTestId(b, "client-name")).setValue(CLIENT);
    await (await byTestId(b, "client-save")).click();
    await (await byTestId(b, "nav-settings")).click();
    await (await byTestId(b, "backup-now")).click();
    await b.waitUntil(async () => (await b.$$('[data-testid="backup-row"]')).length >= 1, { timeout: 15_000, timeoutMsg: "no backup row" });
  } finally {
    await first.stop();
  }
  assert.equal(readdirSync(path.join(dir, "backups")).length, 1);
  damage(dir);

  step("Start on the damaged file: the recovery screen, in Russian, then English.");
  const second = await launch({ dataDir: dir });
  try {
    const b = second.browser;
    const screen = await byTestId(b, "recovery-screen", 60_000);
    assert.equal(await screen.getAttribute("data-code"), "store_damaged");
    assert.match(await (await byTestId(b, "recovery-problem")).getText(), /повреждён/);
    assert.equal(await (await byTestId(b, "recovery-backup-0-clients")).getText(), "1");
    await shot(b, "recovery-ru");
    await (await byTestId(b, "auth-lang-en")).click();
    await b.waitUntil(async () => /damaged/.test(await (await byTestId(b, "recovery-problem")).getText()), { timeout: 10_000, timeoutMsg: "no English" });
    await shot(b, "recovery-en");

    step("Restore the newest backup and sign in: the client is back.");
    await (await byTestId(b, "recovery-restore-0")).click();
    await (await byTestId(b, "recovery-restore-confirm")).click();
    await (await byTestId(b, "signin-email", 30_000)).setValue(ORG.email);
    await (await byTestId(b, "signin-password")).setValue(ORG.password);
    await (await byTestId(b, "signin-submit")).click();
    await (await byTestId(b, "nav-clients")).click();
    await b.waitUntil(async () => (await b.$$('[data-testid="client-row"]')).length === 1, { timeout: 15_000, timeoutMsg: "the client did not come back" });
    assert.match(await (await b.$('[data-testid="client-row"]')).getText(), new RegExp(CLIENT));
    await shot(b, "recovery-restored-en");
  } finally {
    await second.stop();
  }
  const aside = readdirSync(path.join(dir, "set-aside"));
  assert.equal(aside.length, 1);
  assert.ok(existsSync(path.join(dir, "set-aside", aside[0], "tourdesk.sqlite3")), "the damaged file was kept");
});
