import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen } from "@testing-library/react";
import type { Message } from "../../bindings/Message";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import { MessageBubble } from "./MessageBubble";

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return { ...real, ipc: { messageMedia: () => Promise.resolve({ mime: "image/png", file_name: "a.png", data_base64: "iVBORw0KGgo=" }) } };
});

const base: Message = {
  seq: 1,
  id: "m1",
  chat_id: "c1",
  direction: "out",
  sent_at: "2026-05-01T10:00:00Z",
  kind: "text",
  body: "مرحبا، نريد رحلة",
  reactions: [],
  status: "read",
  stuck: false,
};

function show(m: Message, props: Partial<Parameters<typeof MessageBubble>[0]> = {}) {
  const onRetry = vi.fn();
  const onMarkSent = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MessageBubble message={m} onRetry={onRetry} onMarkSent={onMarkSent} {...props} />
    </QueryClientProvider>,
  );
  return { onRetry, onMarkSent };
}

describe("MessageBubble", () => {
  beforeEach(async () => {
    await applyLanguage("en");
  });

  it("marks direction and status, keeps Arabic text right-to-left capable, and shows blue ticks for read", () => {
    show({ ...base, reactions: ["👍", "❤️"] });
    const el = screen.getByTestId("message");
    expect(el.getAttribute("data-direction")).toBe("out");
    expect(el.getAttribute("data-status")).toBe("read");
    expect(screen.getByText(base.body).getAttribute("dir")).toBe("auto");
    const ticks = screen.getByTestId("message-ticks");
    expect(ticks.textContent).toBe("✓✓");
    expect(ticks.className).toContain("tick-read");
    expect(screen.getByText("👍")).toBeTruthy();
  });

  it("shows no ticks on incoming messages", () => {
    show({ ...base, direction: "in", status: null });
    expect(screen.getByTestId("message").getAttribute("data-status")).toBe("");
    expect(screen.queryByTestId("message-ticks")).toBeNull();
  });

  it("explains a failed send in words and offers Retry", () => {
    const { onRetry } = show({ ...base, status: "failed", status_reason: "not_on_whatsapp" });
    expect(screen.getByRole("alert").textContent).toContain(`Not sent: ${en.sendFailure.not_on_whatsapp}.`);
    fireEvent.click(screen.getByTestId("message-retry"));
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("message-mark-sent")).toBeNull();
  });

  it("shows a message WhatsApp holds at ack 0 with a clock, never a tick, and no problem yet", () => {
    show({ ...base, status: "waiting" });
    const ticks = screen.getByTestId("message-ticks");
    expect(ticks.textContent).toBe("🕓");
    expect(ticks.className).toContain("tick-waiting");
    expect(ticks.getAttribute("title")).toBe(en.sendStatus.waiting);
    expect(ticks.textContent).not.toContain("✓");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("flags a message stuck at ack 0 for 5 minutes, still with the clock", () => {
    show({ ...base, status: "waiting", stuck: true });
    expect(screen.getByTestId("message-stuck").textContent).toBe(en.message.stuck);
    expect(screen.getByTestId("message-ticks").textContent).toBe("🕓");
    expect(screen.queryByTestId("message-retry")).toBeNull();
  });

  it("explains a failure WhatsApp reported by an error ack and offers Retry", () => {
    const { onRetry } = show({ ...base, status: "failed", status_reason: "ack_error" });
    expect(screen.getByRole("alert").textContent).toContain(`Not sent: ${en.sendFailure.ack_error}.`);
    expect(screen.getByTestId("message-ticks").textContent).toBe("!");
    fireEvent.click(screen.getByTestId("message-retry"));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it("lets the manager resend or mark sent an unconfirmed message", () => {
    const { onRetry, onMarkSent } = show({ ...base, status: "unconfirmed" });
    expect(screen.getByRole("alert").textContent).toContain(en.message.unconfirmed);
    fireEvent.click(screen.getByTestId("message-mark-sent"));
    expect(onMarkSent).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByTestId("message-retry"));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it("keeps a deleted message's text struck through", () => {
    show({ ...base, deleted_at: "2026-05-01T10:01:00Z", edited_at: "2026-05-01T10:00:30Z" });
    expect(screen.getByText(en.message.deleted).tagName).toBe("EM");
    expect(screen.getByText(base.body).tagName).toBe("S");
  });

  it("labels edits and unsupported kinds, and quotes the replied message", () => {
    const quoted: Message = { ...base, id: "m0", seq: 0, direction: "in", body: "Is the tour halal?", wa_message_id: "W0" };
    show({ ...base, kind: "location", body: "", edited_at: "2026-05-01T10:00:30Z", quoted_wa_message_id: "W0" }, { quoted });
    expect(screen.getByText(en.message.edited)).toBeTruthy();
    expect(screen.getByTestId("message").textContent).toContain(en.message.unsupported);
    expect(screen.getByText("Is the tour halal?")).toBeTruthy();
  });

  it("says a reply quotes an earlier message it cannot find", () => {
    show({ ...base, quoted_wa_message_id: "W-missing" }, { quoted: null });
    expect(screen.getByText(en.message.replyEarlier)).toBeTruthy();
  });

  it("loads a stored image and shows it inline", async () => {
    show({ ...base, kind: "image", body: "", media_path: "media/a.png" });
    const img = (await screen.findByTestId("media-image")) as HTMLImageElement;
    expect(img.getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
  });
});
