// End to end through the real window: create the organisation, sign in, add a client with a
// Kyrgyz phone, move it to "qualified" with a reason, see that in the history, and switch the
// UI to English and back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { byTestId, launch, shot, ORG, createOrganisation } from "./harness.mjs";

/** The text of every status history row on screen. */
async function historyTexts(browser) {
  const rows = [...(await browser.$$('[data-testid="history-row"]'))];
  return Promise.all(rows.map((r) => r.getText()));
}

const step = (what) => console.error(`[e2e] ${what}`);

test("first run, sign-in, client, status change with history, language switch", { timeout: 240_000 }, async () => {
  const { browser, stop } = await launch();
  try {
    const code = await createOrganisation(browser);
    assert.match(code, /^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);

    // Sign out locks the app; sign back in.
    step("Sign out locks the app; sign back in.");
    await (await byTestId(browser, "signout")).click();
    await (await byTestId(browser, "signin-email")).setValue(ORG.email);
    await (await byTestId(browser, "signin-password")).setValue("wrong password!!");
    await (await byTestId(browser, "signin-submit")).click();
    const err = await byTestId(browser, "error-message");
    assert.match(await err.getText(), /парол/i, "a wrong password gives a Russian sentence");
    await (await byTestId(browser, "signin-password")).setValue(ORG.password);
    await (await byTestId(browser, "signin-submit")).click();

    // Add a client.
    step("Add a client.");
    await (await byTestId(browser, "nav-clients")).click();
    await (await byTestId(browser, "client-new")).click();
    await (await byTestId(browser, "client-name")).setValue("Азамат Бекмуратов");
    await (await byTestId(browser, "client-phone")).setValue("+996 555 123 456");
    await (await byTestId(browser, "client-save")).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="client-row"]')).length === 1, {
      timeout: 15_000,
      timeoutMsg: "the new client did not appear in the list",
    });
    const row = (await browser.$$('[data-testid="client-row"]'))[0];
    assert.match(await row.getText(), /\+996555123456|\+996 555 123 456/);
    await shot(browser, "clients-ru");
    await row.click();

    // Move it to qualified with a reason; the history shows it.
    step("Move it to qualified with a reason; the history shows it.");
    const title = await byTestId(browser, "client-title");
    assert.match(await title.getText(), /Азамат Бекмуратов/);
    await (await byTestId(browser, "client-status")).selectByAttribute("value", "qualified");
    await (await byTestId(browser, "status-reason")).setValue("Группа 4 человека, июль, бюджет 1500$");
    await (await byTestId(browser, "status-apply")).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="history-row"]')).length === 2, {
      timeout: 15_000,
      timeoutMsg: "the status change did not appear in the history",
    });
    const texts = await historyTexts(browser);
    assert.ok(texts.some((t) => t.includes("Квалифицирован") && t.includes("Группа 4 человека")), texts.join("\n"));
    await shot(browser, "client-page-ru");

    // English and back.
    step("English and back.");
    await (await byTestId(browser, "ui-lang-en")).click();
    await browser.waitUntil(async () => (await historyTexts(browser)).some((t) => t.includes("Qualified")), {
      timeout: 10_000,
      timeoutMsg: "the history did not switch to English",
    });
    await shot(browser, "client-page-en");
    await (await byTestId(browser, "ui-lang-ru")).click();
    await browser.waitUntil(async () => (await historyTexts(browser)).some((t) => t.includes("Квалифицирован")), {
      timeout: 10_000,
      timeoutMsg: "the history did not switch back to Russian",
    });
  } finally {
    await stop();
  }
});
