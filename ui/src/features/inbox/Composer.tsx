// The message box: Enter sends, Shift+Enter starts a new line; one optional file (≤ 32 MB).
// Nothing typed is lost on error, and a draft stays with its chat while others are open.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Attachment } from "../../bindings/Attachment";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatBytes } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { useWaStatus } from "../../lib/queries";
import { attachmentFits, readAttachment } from "./attachment";
import { addSentMessage } from "./inboxQueries";

/** Unsent text per chat, for this session. */
const drafts = new Map<string, string>();

/** True when the key press should send rather than insert a new line. */
export function isSendKey(e: Pick<KeyboardEvent, "key" | "shiftKey" | "nativeEvent">): boolean {
  return e.key === "Enter" && !e.shiftKey && !(e.nativeEvent as globalThis.KeyboardEvent).isComposing;
}

type Picked = { attachment: Attachment; size: number };

export function Composer({ chatId }: { chatId: string }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const wa = useWaStatus();
  const [text, setTextState] = useState(() => drafts.get(chatId) ?? "");
  const [file, setFile] = useState<Picked | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const setText = (v: string) => {
    setTextState(v);
    if (v) drafts.set(chatId, v);
    else drafts.delete(chatId);
  };

  const send = useMutation({
    mutationFn: () => ipc.messageSend({ chat_id: chatId, body: text.trim(), attachment: file?.attachment ?? null }),
    onSuccess: (m) => {
      setText("");
      setFile(null);
      addSentMessage(qc, m);
    },
  });
  const canSend = (text.trim() !== "" || file !== null) && !send.isPending;
  const submit = () => {
    if (canSend) send.mutate();
  };

  const pick = async (f: File | undefined) => {
    setFileError(null);
    if (!f) return;
    if (!attachmentFits(f.size)) {
      setFileError(t("composer.tooLarge"));
      return;
    }
    try {
      setFile({ attachment: await readAttachment(f), size: f.size });
    } catch {
      setFileError(t("composer.readFailed"));
    }
  };

  const offline = wa.data && (!wa.data.available || wa.data.state.state !== "ready");

  return (
    <div className="composer">
      {offline && (
        <div className="composer-hint" data-testid="composer-offline">
          {t("composer.notConnected")}
        </div>
      )}
      {send.error && <ErrorMessage error={send.error} />}
      {fileError && (
        <div className="error" role="alert" data-testid="composer-file-error">
          {fileError}
        </div>
      )}
      {file && (
        <div className="file-chip" data-testid="composer-file">
          <span dir="auto">📎 {file.attachment.file_name}</span>
          <span className="muted small">{formatBytes(file.size, i18n.language)}</span>
          <button type="button" className="icon-button" aria-label={t("composer.removeFile")} title={t("composer.removeFile")} onClick={() => setFile(null)}>
            ×
          </button>
        </div>
      )}
      <div className="composer-row">
        <button type="button" className="attach-button" title={t("composer.attach")} aria-label={t("composer.attach")} onClick={() => fileInput.current?.click()}>
          <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
            <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />
          </svg>
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          data-testid="composer-attach"
          onChange={(e) => {
            void pick(e.target.files?.[0]);
            e.target.value = "";
          }}
        />
        <textarea
          data-testid="composer-input"
          dir="auto"
          rows={2}
          placeholder={t("composer.placeholder")}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (isSendKey(e)) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="button" className="primary" data-testid="composer-send" disabled={!canSend} onClick={submit}>
          {send.isPending ? t("composer.sending") : t("composer.send")}
        </button>
      </div>
    </div>
  );
}
