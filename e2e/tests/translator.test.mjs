// End to end: the bilingual conversation through the real window, the real sidecar on the fake
// WhatsApp, and a loopback mock LLM. An Arabic client writes → the conversation shows the Russian
// translation; the manager replies in Russian → the preview shows the Arabic translation and the
// back-translation → the manager edits it → sends → the fake WhatsApp received the edited Arabic
// text, and the message keeps the manager's own text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { byTestId, launch, shot, ORG, createOrganisation, waFake as fake } from "./harness.mjs";
import { startMockLlm } from "./mock-llm.mjs";

const step = (what) => console.error(`[e2e:tr] ${what}`);
const ARABIC_IN = "مرحبا، هل يوجد جولة إلى بحيرة إيسيك كول في يوليو؟";
const RUSSIAN_OF_IN = "Здравствуйте, есть ли тур на озеро Иссык-Куль в июле?";
const REPLY_RU = "Да, есть! Хотите программу?";
const REPLY_AR = "نعم، يوجد! هل تريد البرنامج؟";
const REPLY_BACK = "Да, есть! Хотите программу?";
const EDITED_AR = "نعم، يوجد بالتأكيد! هل تريد البرنامج؟";

async function text(browser, id) {
  return browser.execute((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "", id);
}

test("an Arabic client, translated both ways with a preview the manager edits", { timeout: 300_000 }, async () => {
  // The reply preview asks about the manager's Russian text; the inbound one about the Arabic.
  const llm = await startMockLlm(({ raw }) =>
    raw.includes("Хотите программу") ? { translation: REPLY_AR, back_translation: REPLY_BACK } : { translation: RUSSIAN_OF_IN },
  );
  const { browser, stop } = await launch({
    env: { TOURDESK_WA_ADAPTER: "fake", TOURDESK_WA_OPTIONS: JSON.stringify({ qr_rotate_ms: 0 }) },
  });
  try {
    await createOrganisation(browser);

    step("Set up the AI provider (a custom OpenAI-compatible server: the loopback mock).");
    await (await byTestId(browser, "nav-settings")).click();
    await (await byTestId(browser, "ai-preset")).selectByAttribute("value", "custom");
    const url = await byTestId(browser, "ai-base-url");
    await url.clearValue();
    await url.setValue(llm.baseUrl);
    await (await byTestId(browser, "ai-model")).setValue("mock-translator");
    await (await byTestId(browser, "ai-save")).click();
    await browser.pause(500);
    await shot(browser, "settings-ai-ru");

    step("Link WhatsApp; an Arabic client writes.");
    await (await byTestId(browser, "nav-whatsapp")).click();
    await (await byTestId(browser, "wa-connect")).click();
    await byTestId(browser, "wa-qr-image", 30_000);
    await fake(browser, "fake_scan");
    await browser.waitUntil(async () => (await (await browser.$('[data-testid="wa-badge"]')).getAttribute("data-state")) === "ready", { timeout: 20_000 });
    await fake(browser, "fake_incoming", { from: "+971501234567", name: "فاطمة", text: ARABIC_IN });
    await (await byTestId(browser, "nav-inbox")).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="chat-row"]')).length === 1, { timeout: 20_000, timeoutMsg: "no chat" });
    await (await browser.$$('[data-testid="chat-row"]'))[0].click();

    step("The conversation shows the Russian translation of the Arabic message.");
    await browser.waitUntil(async () => (await text(browser, "message-translation")).includes("Иссык-Куль"), {
      timeout: 30_000,
      timeoutMsg: "the translation never appeared",
    });
    await shot(browser, "translated-conversation-ru");

    step("Reply in Russian: the preview shows Arabic and the back-translation; edit; send.");
    await (await byTestId(browser, "composer-input")).setValue(REPLY_RU);
    await browser.keys("Enter");
    const translation = await byTestId(browser, "reply-translation", 30_000);
    await browser.waitUntil(async () => (await translation.getValue()) === REPLY_AR, { timeout: 15_000, timeoutMsg: "no Arabic preview" });
    await browser.waitUntil(async () => /Хотите программу/.test(await text(browser, "reply-back-translation")), {
      timeout: 15_000,
      timeoutMsg: "no back-translation in the preview",
    });
    await browser.pause(300);
    await shot(browser, "reply-preview-ru");
    await translation.clearValue();
    await translation.setValue(EDITED_AR);
    await (await byTestId(browser, "reply-send")).click();
    await browser.waitUntil(
      async () => ((await fake(browser, "fake_state")).delivered_by_text ?? {})[EDITED_AR] === 1,
      { timeout: 30_000, timeoutMsg: "the edited Arabic text never reached WhatsApp" },
    );
    const state = await fake(browser, "fake_state");
    assert.equal(state.delivered_by_text[REPLY_AR], undefined, "the unedited translation was not sent");
    assert.ok(llm.requests.length >= 2, "the model was asked for both directions");

    step("English UI.");
    await (await byTestId(browser, "ui-lang-en")).click();
    await browser.pause(500);
    await shot(browser, "translated-conversation-en");
    await (await byTestId(browser, "nav-settings")).click();
    await shot(browser, "settings-ai-en");
    await (await byTestId(browser, "ui-lang-ru")).click();
  } finally {
    await stop();
    await llm.close();
  }
});
