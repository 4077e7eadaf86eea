// End to end: the network drops while the manager sends. WhatsApp Web takes the reply and holds
// it at ack 0 (the conversation shows the clock, never a tick), then notices the drop (TIMEOUT:
// the badge says reconnecting); the lead writes meanwhile (the message waits on WhatsApp's side).
// The network comes back: the reply gets its tick and the backfill brings the lead's message in.
import assert from "node:assert/strict";
import { test } from "node:test";
import { byTestId, createOrganisation, launch, shot, waFake as fake } from "./harness.mjs";

const step = (what) => console.error(`[e2e:wa-drop] ${what}`);
const LEAD = "+996555123456";
const REPLY = "Да, есть тур 15 июля.";
const MEANWHILE = "Нас будет двое";

async function badge(browser) {
  const el = await browser.$('[data-testid="wa-badge"]');
  return (await el.isExisting()) ? el.getAttribute("data-state") : null;
}

async function waitFor(browser, what, check, timeout = 20_000) {
  await browser.waitUntil(check, { timeout, timeoutMsg: what });
}

/** The conversation's messages as {direction, status, text}. */
async function messages(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="message"]')].map((m) => ({
      direction: m.getAttribute("data-direction"),
      status: m.getAttribute("data-status"),
      text: m.textContent ?? "",
    })),
  );
}

async function reply(browser) {
  return (await messages(browser)).find((m) => m.text.includes(REPLY));
}

test("a drop during a send: clock, reconnecting; back: tick and the lead's message", { timeout: 300_000 }, async () => {
  const { browser, stop } = await launch({
    env: { TOURDESK_WA_ADAPTER: "fake", TOURDESK_WA_OPTIONS: JSON.stringify({ qr_rotate_ms: 0, retry_ms: 60_000 }) },
  });
  try {
    await createOrganisation(browser);
    step("Link WhatsApp; a lead writes; open the chat.");
    await (await byTestId(browser, "nav-whatsapp")).click();
    await (await byTestId(browser, "wa-connect")).click();
    await byTestId(browser, "wa-qr-image", 30_000);
    await fake(browser, "fake_scan");
    await waitFor(browser, "never ready", async () => (await badge(browser)) === "ready");
    await fake(browser, "fake_incoming", { from: LEAD, name: "Азамат", text: "Здравствуйте! Есть туры в июле?" });
    await (await byTestId(browser, "nav-inbox")).click();
    await waitFor(browser, "the chat did not appear", async () => (await browser.$$('[data-testid="chat-row"]')).length === 1);
    await (await browser.$$('[data-testid="chat-row"]'))[0].click();
    await byTestId(browser, "conversation");

    step("The network drops; WhatsApp Web notices after 4 s. Reply now: the clock, never a tick.");
    await fake(browser, "fake_drop", { notice_after_ms: 4000 });
    await (await byTestId(browser, "composer-input")).setValue(REPLY);
    await browser.keys("Enter");
    await waitFor(browser, "the reply did not show as waiting", async () => (await reply(browser))?.status === "waiting");
    await waitFor(browser, "the badge did not say reconnecting", async () => (await badge(browser)) === "degraded");
    assert.equal((await reply(browser)).status, "waiting", "still no tick while offline");
    await shot(browser, "wa-drop-waiting-ru");

    step("The lead writes while we are offline: it waits on WhatsApp's side.");
    await fake(browser, "fake_backlog", { from: LEAD, name: "Азамат", count: 1, text: MEANWHILE });
    await browser.pause(1000);
    assert.ok(!(await messages(browser)).some((m) => m.text.includes(MEANWHILE)), "not here before the network is back");

    step("The network is back: the reply gets its tick, the backfill brings the lead's message.");
    await fake(browser, "fake_reconnect");
    await waitFor(browser, "never ready again", async () => (await badge(browser)) === "ready", 30_000);
    await waitFor(browser, "the reply never got its tick", async () => ["sent", "delivered", "read"].includes((await reply(browser))?.status), 30_000);
    await waitFor(browser, "the lead's message never arrived", async () => (await messages(browser)).some((m) => m.direction === "in" && m.text.includes(MEANWHILE)), 30_000);
    const state = await fake(browser, "fake_state");
    assert.equal(state.delivered_by_text[REPLY], 1, "the reply left exactly once");
    await shot(browser, "wa-drop-back-ru");
  } finally {
    await stop();
  }
});
