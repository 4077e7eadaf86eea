// End to end: the history import wizard through the real window. Two exports are chosen in the
// file input — a one-to-one chat with a client (written here, Russian, with a price and dates)
// and a corpus group export — read, reviewed (the group is kept apart, not a client), committed;
// the client is in the clients list and its conversation is in the inbox. Importing the same
// file again adds nothing.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { byTestId, launch, repo, shot, ORG, createOrganisation } from "./harness.mjs";

const step = (what) => console.error(`[e2e:import] ${what}`);

const ONE_TO_ONE = [
  "12.03.2026, 09:15 - Айгуль: Здравствуйте! Чем могу помочь?",
  "12.03.2026, 09:17 - Бакыт Асанов: Добрый день, хотим на Иссык-Куль в июле, нас 4 человека",
  "12.03.2026, 09:20 - Айгуль: Тур «Иссык-Куль, 3 дня» стоит 250 USD с человека, выезд 15 июля",
  "12.03.2026, 09:31 - Бакыт Асанов: Отлично, как оплатить предоплату?",
  "",
].join("\n");

async function texts(browser, id) {
  return browser.execute((id) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.textContent ?? ""), id);
}

test("import two exports through the wizard, review, commit, see the client and the chat", { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tourdesk-import-"));
  const oneToOne = path.join(dir, "WhatsApp Chat with +996 555 987 654.txt");
  writeFileSync(oneToOne, ONE_TO_ONE);
  const group = path.join(repo, "e2e/fixtures/joweich-chat-miner/test_ddmmyy_24hrs.txt");
  const { browser, stop } = await launch();
  try {
    await createOrganisation(browser);

    step("Choose the files and name ourselves.");
    await (await byTestId(browser, "nav-import")).click();
    const input = await browser.$('[data-testid="import-files"]');
    await input.waitForExist({ timeout: 15_000 });
    await input.addValue(oneToOne);
    await input.addValue(group);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="import-file"]')).length === 2, {
      timeout: 10_000,
      timeoutMsg: "the two files were not listed",
    });
    const own = await byTestId(browser, "import-own-names");
    await own.clearValue();
    await own.setValue("Айгуль");
    await shot(browser, "import-choose-ru");
    await (await byTestId(browser, "import-stage")).click();

    step("Review: one client with phone, language and a suggested status; the group kept apart.");
    await byTestId(browser, "import-review", 30_000);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="import-item"]')).length === 2, {
      timeout: 15_000,
      timeoutMsg: "the review does not list two conversations",
    });
    const rows = await texts(browser, "import-item");
    const names = await browser.execute(() => [...document.querySelectorAll('[data-testid="import-item-name"]')].map((e) => e.value ?? e.textContent));
    assert.ok(names.some((n) => n.includes("Бакыт")), `the client is named from the export: ${names.join(" | ")}`);
    assert.ok(rows.some((r) => r.includes("как оплатить")), "the suggested status quotes its evidence");
    assert.ok(rows.some((r) => /груп|group/i.test(r)), "the group export is flagged as a group");
    await shot(browser, "import-review-ru");
    await (await byTestId(browser, "import-commit")).click();

    step("Summary, then the client and the conversation.");
    await byTestId(browser, "import-summary", 30_000);
    assert.match((await texts(browser, "import-sum-created"))[0], /1/);
    await shot(browser, "import-summary-ru");
    await (await byTestId(browser, "nav-clients")).click();
    await browser.waitUntil(async () => (await texts(browser, "client-row")).some((t) => t.includes("Бакыт")), {
      timeout: 15_000,
      timeoutMsg: "the imported client is not in the list",
    });
    await (await byTestId(browser, "nav-inbox")).click();
    await browser.waitUntil(async () => (await texts(browser, "chat-row")).some((t) => t.includes("Бакыт")), {
      timeout: 15_000,
      timeoutMsg: "the imported conversation is not in the inbox",
    });
    const rowsEls = [...(await browser.$$('[data-testid="chat-row"]'))];
    for (const r of rowsEls) {
      if ((await browser.execute((el) => el.textContent, r)).includes("Бакыт")) {
        await r.click();
        break;
      }
    }
    await browser.waitUntil(async () => (await browser.$$('[data-testid="message"]')).length === 4, {
      timeout: 15_000,
      timeoutMsg: "the conversation does not show the 4 imported messages",
    });
    await shot(browser, "import-conversation-ru");

    step("The same file again adds nothing.");
    await (await byTestId(browser, "nav-import")).click();
    const again = await browser.$('[data-testid="import-files"]');
    await again.waitForExist({ timeout: 15_000 });
    await again.addValue(oneToOne);
    await (await byTestId(browser, "import-stage")).click();
    await byTestId(browser, "import-review", 30_000);
    await (await byTestId(browser, "import-commit")).click();
    await byTestId(browser, "import-summary", 30_000);
    assert.match((await texts(browser, "import-sum-messages"))[0], /\b0\b/);
  } finally {
    await stop();
  }
});
