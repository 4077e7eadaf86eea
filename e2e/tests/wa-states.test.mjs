// End to end: every WhatsApp connection state in the real window, with the real sidecar on the
// scripted fake WhatsApp raising whatsapp-web.js's own events. A network drop → the badge says
// reconnecting and the notice gives the advice; a session opened elsewhere → "Use here" brings it
// back; a ban → its own notice. Each state is photographed in Russian and English
// (E2E_SHOTS=dir → wa-state-<state>-<lang>.png).
import assert from "node:assert/strict";
import { test } from "node:test";
import { byTestId, createOrganisation, launch, shot, waFake as fake } from "./harness.mjs";

const step = (what) => console.error(`[e2e:wa-states] ${what}`);

async function attr(browser, id, name) {
  const el = await browser.$(`[data-testid="${id}"]`);
  return (await el.isExisting()) ? el.getAttribute(name) : null;
}

async function waitBadge(browser, state, code = null, timeout = 20_000) {
  await browser.waitUntil(
    async () => (await attr(browser, "wa-badge", "data-state")) === state && (code === null || (await attr(browser, "wa-badge", "data-code")) === code),
    { timeout, timeoutMsg: `the WhatsApp badge did not reach "${state}${code ? `/${code}` : ""}"` },
  );
}

async function text(browser, id) {
  return browser.execute((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "", id);
}

/** Clicks the header's language switch (by script: the QR window is modal over it). */
async function pickLanguage(browser, lang) {
  await browser.execute((id) => document.querySelector(`[data-testid="${id}"]`)?.click(), `ui-lang-${lang}`);
}

/** Photographs the current state in Russian and English (back to Russian after). */
async function shots(browser, name) {
  await shot(browser, `wa-state-${name}-ru`);
  await pickLanguage(browser, "en");
  const cyrillic = async () => /[А-яЁё]/.test(await text(browser, "wa-badge"));
  await browser.waitUntil(async () => !(await cyrillic()), { timeout: 5_000, timeoutMsg: "the badge did not switch to English" });
  await shot(browser, `wa-state-${name}-en`);
  await pickLanguage(browser, "ru");
  await browser.waitUntil(cyrillic, { timeout: 5_000, timeoutMsg: "the badge did not switch back to Russian" });
}

test("drop → reconnecting; conflict → use here; ban; each state in RU and EN", { timeout: 300_000 }, async () => {
  const { browser, stop } = await launch({
    env: { TOURDESK_WA_ADAPTER: "fake", TOURDESK_WA_OPTIONS: JSON.stringify({ qr_rotate_ms: 0, retry_ms: 60_000 }) },
  });
  try {
    await createOrganisation(browser);

    step("Not connected, then linking with a QR.");
    await waitBadge(browser, "not_connected");
    await (await byTestId(browser, "nav-whatsapp")).click();
    await shots(browser, "not_connected");
    await (await byTestId(browser, "wa-connect")).click();
    await byTestId(browser, "wa-qr-image", 30_000);
    await waitBadge(browser, "qr");
    await shots(browser, "qr");
    await fake(browser, "fake_scan");
    await waitBadge(browser, "ready");
    assert.equal(await attr(browser, "wa-notice", "data-state"), null, "no notice while ready");
    await shots(browser, "ready");

    step("The network drops: TIMEOUT → the badge says reconnecting, the notice advises.");
    await fake(browser, "fake_drop");
    await waitBadge(browser, "degraded", "network_timeout");
    await byTestId(browser, "wa-notice");
    assert.match(await text(browser, "wa-badge"), /Переподключение/);
    assert.match(await text(browser, "wa-notice-advice"), /очеред/);
    await shots(browser, "network_timeout");
    await fake(browser, "fake_reconnect");
    await waitBadge(browser, "ready");

    step("Opened in another browser: conflict, then Use here.");
    await fake(browser, "fake_conflict");
    await waitBadge(browser, "conflict");
    await byTestId(browser, "wa-use-here");
    await shots(browser, "conflict");
    await (await byTestId(browser, "wa-use-here")).click();
    await waitBadge(browser, "ready");

    step("Banned: its own notice, Reconnect after the ban is lifted.");
    await fake(browser, "fake_ban", { state: "TOS_BLOCK" });
    await waitBadge(browser, "banned", "tos_block");
    assert.match(await text(browser, "wa-notice-advice"), /заблокировал/);
    await shots(browser, "banned");
    await fake(browser, "fake_unban");
    await (await byTestId(browser, "wa-notice-reconnect")).click();
    await waitBadge(browser, "ready");

    step("An outdated WhatsApp Web: failed with its advice.");
    await fake(browser, "fake_change_state", { state: "DEPRECATED_VERSION" });
    await waitBadge(browser, "failed", "deprecated_version");
    await shots(browser, "failed");

    step("The phone unlinks us: logged out.");
    await (await byTestId(browser, "wa-notice-reconnect")).click();
    await waitBadge(browser, "ready");
    await fake(browser, "fake_logout");
    await waitBadge(browser, "logged_out");
    await shots(browser, "logged_out");
  } finally {
    await stop();
  }
});
