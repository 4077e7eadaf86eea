// End to end through the real window with the real sidecar on the scripted fake WhatsApp:
// connect → the QR window shows a QR → the phone "scans" → ready → a client writes → the
// message is in the inbox with a new lead → the manager replies → the fake WhatsApp received
// it → the ticks turn to read. An Arabic client writes too (right-to-left), and the English UI
// is looked at. The test plays the phone and the client through `wa_fake` (fake adapter only).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { byTestId, launch, shot, ORG, createOrganisation, waFake as fake } from "./harness.mjs";

const step = (what) => console.error(`[e2e:wa] ${what}`);

async function badgeState(browser) {
  return (await browser.$('[data-testid="wa-badge"]')).getAttribute("data-state");
}

async function waitBadge(browser, state, timeout = 20_000) {
  await browser.waitUntil(async () => (await badgeState(browser)) === state, {
    timeout,
    timeoutMsg: `the WhatsApp badge did not reach "${state}"`,
  });
}

/** The text content of every element with this test id (WebKit's getText skips clipped text). */
async function texts(browser, id) {
  return browser.execute((id) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.textContent ?? ""), id);
}

async function messages(browser) {
  return [...(await browser.$$('[data-testid="message"]'))];
}

test("connect by QR, receive, reply, ticks; an Arabic chat; English UI", { timeout: 300_000 }, async () => {
  const { browser, stop, dataDir } = await launch({
    env: { TOURDESK_WA_ADAPTER: "fake", TOURDESK_WA_OPTIONS: JSON.stringify({ qr_rotate_ms: 0 }) },
  });
  try {
    await createOrganisation(browser);

    step("The badge says WhatsApp is not connected; connect.");
    await byTestId(browser, "wa-badge");
    assert.equal(await badgeState(browser), "not_connected");
    await (await byTestId(browser, "nav-whatsapp")).click();
    await (await byTestId(browser, "wa-connect")).click();
    await byTestId(browser, "wa-qr-dialog", 30_000);
    const qr = await byTestId(browser, "wa-qr-image", 30_000);
    const size = await qr.getSize();
    assert.ok(size.width >= 120 && size.height >= 120, `the QR is drawn large enough: ${JSON.stringify(size)}`);
    await waitBadge(browser, "qr");
    await shot(browser, "wa-qr-ru");

    step("The phone scans: ready, the window closes.");
    await fake(browser, "fake_scan");
    await waitBadge(browser, "ready");
    await browser.waitUntil(async () => !(await (await browser.$('[data-testid="wa-qr-dialog"]')).isExisting()), {
      timeout: 10_000,
      timeoutMsg: "the QR window stayed open after ready",
    });

    step("A client writes: the inbox shows the chat with a new lead.");
    await fake(browser, "fake_incoming", { from: "+996555123456", name: "Азамат", text: "Здравствуйте! Есть туры на Иссык-Куль в июле?" });
    await (await byTestId(browser, "nav-inbox")).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="chat-row"]')).length === 1, {
      timeout: 20_000,
      timeoutMsg: "the chat did not appear in the inbox",
    });
    const row = (await browser.$$('[data-testid="chat-row"]'))[0];
    const [rowText] = await texts(browser, "chat-row");
    assert.match(rowText, /Азамат/);
    assert.match(rowText, /Иссык-Куль/);
    await row.click();
    await byTestId(browser, "conversation");
    await browser.waitUntil(async () => (await messages(browser)).length === 1, { timeout: 10_000 });
    assert.equal(await (await messages(browser))[0].getAttribute("data-direction"), "in");
    await byTestId(browser, "client-panel");
    assert.match((await texts(browser, "client-panel"))[0], /Азамат/);

    step("Reply with Enter: the fake WhatsApp gets it once; ticks go to read.");
    const input = await byTestId(browser, "composer-input");
    await input.setValue("Да! Тур «Иссык-Куль, 3 дня» — 15 июля, 250 USD.");
    await browser.keys("Enter");
    await browser.waitUntil(async () => (await messages(browser)).length === 2, {
      timeout: 10_000,
      timeoutMsg: "the reply did not appear in the conversation",
    });
    await browser.waitUntil(
      async () => {
        const state = await fake(browser, "fake_state");
        return state.delivered_by_text["Да! Тур «Иссык-Куль, 3 дня» — 15 июля, 250 USD."] === 1;
      },
      { timeout: 20_000, timeoutMsg: "the fake WhatsApp never received the reply" },
    );
    const state = await fake(browser, "fake_state");
    const sent = state.messages.find((m) => m.via === "api");
    assert.ok(sent, "the reply was sent through the sidecar");
    assert.equal(state.sent_count, 1, "sent exactly once");
    const lastStatus = async () => {
      const all = await messages(browser);
      return all[all.length - 1].getAttribute("data-status");
    };
    await browser.waitUntil(async () => ["sent", "delivered", "read"].includes(await lastStatus()), {
      timeout: 15_000,
      timeoutMsg: "the reply never showed as sent",
    });
    await fake(browser, "fake_ack", { message_id: sent.id, ack: 2 });
    await browser.waitUntil(async () => (await lastStatus()) === "delivered", { timeout: 15_000, timeoutMsg: "no delivered ticks" });
    await fake(browser, "fake_ack", { message_id: sent.id, ack: 3 });
    await browser.waitUntil(async () => (await lastStatus()) === "read", { timeout: 15_000, timeoutMsg: "no read ticks" });
    const last = (await messages(browser)).at(-1);
    assert.equal(await last.getAttribute("data-direction"), "out");
    const marks = (await fake(browser, "fake_state")).read_marks ?? {};
    assert.ok(Object.keys(marks).some((c) => c.startsWith("996555123456")), `opening the chat sent a read receipt: ${JSON.stringify(marks)}`);

    step("The manager types on the phone; the client sends a photo.");
    await fake(browser, "fake_incoming", { from: "+996555123456", from_me: true, text: "Отправил программу тура в PDF с телефона" });
    const png = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGM4YWNDEmIY1TCqYfhqAACrxkAQIqaBzAAAAABJRU5ErkJggg==";
    await fake(browser, "fake_incoming", { from: "+996555123456", text: "Вот наш паспорт", media: { mimetype: "image/png", filename: "passport.png", data_base64: png } });
    await browser.waitUntil(async () => (await messages(browser)).length === 4, { timeout: 15_000, timeoutMsg: "the phone-typed message and the photo did not appear" });
    const all = await messages(browser);
    assert.equal(await all[2].getAttribute("data-direction"), "out", "a message typed on the phone shows as ours");
    assert.equal(await all[3].getAttribute("data-direction"), "in");
    const img = await byTestId(browser, "media-image", 15_000);
    const natural = await browser.execute((el) => el.naturalWidth, img);
    assert.equal(natural, 16, "the received photo is loaded from the media folder");
    await shot(browser, "inbox-conversation-ru");

    step("An Arabic client writes: right-to-left text.");
    await fake(browser, "fake_incoming", { from: "+971501234567", name: "فاطمة", text: "مرحبا، هل يوجد جولة إلى بحيرة إيسيك كول في يوليو؟" });
    await browser.waitUntil(async () => (await browser.$$('[data-testid="chat-row"]')).length === 2, {
      timeout: 20_000,
      timeoutMsg: "the Arabic chat did not appear",
    });
    const arabic = (await browser.$$('[data-testid="chat-row"]'))[0];
    assert.match((await texts(browser, "chat-row"))[0], /فاطمة/);
    await arabic.click();
    await browser.waitUntil(async () => (await messages(browser)).length === 1, { timeout: 10_000 });
    const dir = await browser.execute(() => {
      const bubbles = document.querySelectorAll('[data-testid="message"] [dir="auto"]');
      const el = bubbles[bubbles.length - 1];
      return el ? getComputedStyle(el).direction : "none";
    });
    assert.equal(dir, "rtl", "Arabic text is laid out right to left");
    await shot(browser, "inbox-arabic-ru");

    step("English UI.");
    await (await byTestId(browser, "ui-lang-en")).click();
    await browser.waitUntil(async () => /connected/i.test((await texts(browser, "wa-badge"))[0] ?? ""), {
      timeout: 10_000,
      timeoutMsg: "the badge did not switch to English",
    });
    await shot(browser, "inbox-arabic-en");
    await (await byTestId(browser, "nav-whatsapp")).click();
    await shot(browser, "wa-settings-en");
    await (await byTestId(browser, "ui-lang-ru")).click();
  } finally {
    await stop();
  }
  step("The app is gone: no sidecar or browser of its data folder is left.");
  const until = Date.now() + 10_000;
  let left = [];
  while (Date.now() < until) {
    left = leftovers(dataDir);
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(left, [], "processes of the data folder outlived the app");

  step("Restart on the same data: signed in again, WhatsApp is ready without a new scan.");
  const again = await launch({ dataDir, env: { TOURDESK_WA_ADAPTER: "fake", TOURDESK_WA_OPTIONS: JSON.stringify({ qr_rotate_ms: 0 }) } });
  try {
    const b = again.browser;
    await (await byTestId(b, "signin-email", 60_000)).setValue(ORG.email);
    await (await byTestId(b, "signin-password")).setValue(ORG.password);
    await (await byTestId(b, "signin-submit")).click();
    await waitBadge(b, "ready", 30_000);
    assert.equal(await (await b.$('[data-testid="wa-qr-dialog"]')).isExisting(), false, "no QR after a restart");
    await (await byTestId(b, "nav-inbox")).click();
    await b.waitUntil(async () => (await b.$$('[data-testid="chat-row"]')).length === 2, {
      timeout: 15_000,
      timeoutMsg: "the stored chats are not in the inbox after a restart",
    });
  } finally {
    await again.stop();
  }
});

/** Processes whose command line mentions the data folder (the sidecar, its browser). */
function leftovers(dir) {
  const out = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmd.includes(dir) && !cmd.includes("tauri-driver")) out.push(`${pid} ${cmd.slice(0, 120)}`);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}
