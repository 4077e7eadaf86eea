// End to end: no OS keychain is unlocked in this session, so the settings page offers to keep the
// AI key in a file encrypted with the sign-in password. Turn it on, save a key, sign out (the file
// locks) and sign in again (the shell unlocks it with the password just typed): the key is still
// there; the key never comes back to the page, and the file never holds it in clear.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { byTestId, launch, shot, ORG, createOrganisation } from "./harness.mjs";

const KEY = "sk-e2e-keyfile-0123456789abcdef";

async function signIn(browser) {
  await (await byTestId(browser, "signin-email", 30_000)).setValue(ORG.email);
  await (await byTestId(browser, "signin-password")).setValue(ORG.password);
  await (await byTestId(browser, "signin-submit")).click();
}

test("the opt-in encrypted key file: enable, save a key, survives sign-out and sign-in", { timeout: 180_000 }, async () => {
  const { browser, stop, dataDir } = await launch();
  try {
    await createOrganisation(browser);

    await (await byTestId(browser, "nav-settings")).click();
    await (await byTestId(browser, "ai-preset")).selectByAttribute("value", "openai");
    await (await byTestId(browser, "ai-model")).setValue("gpt-4o-mini");
    await (await byTestId(browser, "ai-save")).click();
    await byTestId(browser, "ai-keychain-unavailable", 15_000);
    await (await byTestId(browser, "ai-fallback-password")).setValue(ORG.password);
    await (await byTestId(browser, "ai-fallback-enable")).click();
    await byTestId(browser, "ai-fallback-unlocked", 30_000);

    await (await byTestId(browser, "ai-key", 15_000)).setValue(KEY);
    await (await byTestId(browser, "ai-key-save")).click();
    const status = await byTestId(browser, "ai-key-status");
    await browser.waitUntil(async () => /зашифрованном файле/.test(await status.getText()), {
      timeout: 15_000,
      timeoutMsg: "the key was not saved in the encrypted file",
    });
    assert.equal(await (await browser.$('[data-testid="ai-keychain-unavailable"]')).isExisting(), false, "no 'cannot be saved here' once the file is on");
    await shot(browser, "settings-keyfile-ru");
    const html = await browser.getPageSource();
    assert.ok(!html.includes(KEY), "the key is not on the page after saving");
    const file = readFileSync(path.join(dataDir, "secrets.enc"));
    assert.ok(!file.includes(Buffer.from(KEY)), "the key file does not hold the key in clear");

    await (await byTestId(browser, "signout")).click();
    await signIn(browser);
    await (await byTestId(browser, "nav-settings", 30_000)).click();
    await byTestId(browser, "ai-fallback-unlocked", 30_000);
    const again = await byTestId(browser, "ai-key-status");
    await browser.waitUntil(async () => /зашифрованном файле/.test(await again.getText()), {
      timeout: 15_000,
      timeoutMsg: "after signing in again the key file was not unlocked",
    });
  } finally {
    await stop();
  }
});
