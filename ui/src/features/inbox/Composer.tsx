// The message box: Enter sends, Shift+Enter starts a new line; one optional file (≤ 32 MB).
// Nothing typed is lost on error, and a draft stays with its chat while others are open.
// With "Translate my replies" on (per chat), Enter first asks for the translation into the
// client's language and opens the preview; the reply goes out as typed only when no translation
// is needed or the manager chooses so explicitly.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Attachment } from "../../bindings/Attachment";
import type { Language } from "../../bindings/Language";
import { ErrorMessage } from "../../components/ErrorMessage";
import { LanguageLabel } from "../../components/LanguageLabel";
import { formatBytes } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { useWaStatus } from "../../lib/queries";
import { attachmentFits, readAttachment } from "./attachment";
import { addSentMessage } from "./inboxQueries";
import { attachComposer, checkTranslation, currentStage, editTranslation, requestPreview, setStage, type Stage } from "./replyPreview";
import { ReplyPreviewPanel } from "./ReplyPreviewPanel";
import { storedTranslateReplies, storeTranslateReplies, translateRepliesByDefault } from "./translation";

/** Pause after the last edit of a translation before it is checked again. */
export const CHECK_DELAY_MS = 500;

/** Unsent text per chat, for this session. */
const drafts = new Map<string, string>();

/** True when the key press should send rather than insert a new line. */
export function isSendKey(e: Pick<KeyboardEvent, "key" | "shiftKey" | "nativeEvent">): boolean {
  return e.key === "Enter" && !e.shiftKey && !(e.nativeEvent as globalThis.KeyboardEvent).isComposing;
}

type Picked = { attachment: Attachment; size: number };

/** What goes out: the body, and for a translated reply the manager's text and the back-translation. */
type Outgoing = { body: string; original_body?: string; back_translation?: string | null };

type Props = {
  chatId: string;
  /** The linked client's language, when known (for the default of "Translate my replies"). */
  clientLanguage?: Language | null;
  /** The manager's language for translations, when known. */
  managerLanguage?: string | null;
};

export function Composer({ chatId, clientLanguage = null, managerLanguage = null }: Props) {
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

  const [chosen, setChosen] = useState<boolean | null>(() => storedTranslateReplies(chatId));
  const translateOn = chosen ?? translateRepliesByDefault(clientLanguage, managerLanguage);
  const [stage, setLocalStage] = useState<Stage | null>(() => currentStage(chatId));

  const send = useMutation({
    mutationFn: (out: Outgoing) =>
      ipc.messageSend({
        chat_id: chatId,
        body: out.body,
        attachment: file?.attachment ?? null,
        ...(out.original_body !== undefined ? { original_body: out.original_body, back_translation: out.back_translation ?? null } : {}),
      }),
    onSuccess: (m) => {
      setText("");
      setFile(null);
      setStage(chatId, null);
      addSentMessage(qc, m);
    },
  });
  // The preview's answer may arrive after a re-render; it sends through the latest mutation.
  const latestSend = useRef(send.mutate);
  latestSend.current = send.mutate;
  useEffect(() => {
    const detach = attachComposer(chatId, {
      onStage: setLocalStage,
      onNotNeeded: (typed) => latestSend.current({ body: typed }),
    });
    // An answer may have landed between the first render and now.
    setLocalStage(currentStage(chatId));
    return detach;
  }, [chatId]);

  // An edited translation is checked again (numbers, dates, tour names) after a pause; the due
  // check is fully described by its request, typed text and edited text.
  const due = stage?.kind === "ready" && stage.checking ? { req: stage.req, typed: stage.typed, edited: stage.edited } : null;
  useEffect(() => {
    if (!due) return;
    const timer = window.setTimeout(() => checkTranslation(chatId, due.req, due.typed, due.edited), CHECK_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [chatId, due?.req, due?.typed, due?.edited]);

  const canSend = (text.trim() !== "" || file !== null) && !send.isPending && stage === null;
  const submit = () => {
    if (!canSend) return;
    const typed = text.trim();
    send.reset();
    if (translateOn && typed !== "") requestPreview(chatId, typed);
    else send.mutate({ body: typed });
  };
  const sendTranslation = () => {
    if (stage?.kind !== "ready" || send.isPending || stage.edited.trim() === "") return;
    send.mutate({ body: stage.edited.trim(), original_body: stage.typed, back_translation: stage.preview.back_translation || null });
  };
  const sendOriginal = () => {
    if (stage && stage.kind !== "loading" && !send.isPending) send.mutate({ body: stage.typed });
  };
  const cancelPreview = () => {
    send.reset();
    setStage(chatId, null);
  };
  const toggleTranslate = (on: boolean) => {
    storeTranslateReplies(chatId, on);
    setChosen(on);
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
    <div
      className="composer"
      onKeyDown={(e) => {
        if (!stage) return;
        if (e.key === "Escape") {
          // Closes the preview only, not the chat.
          e.stopPropagation();
          cancelPreview();
        } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && stage.kind === "ready") {
          e.preventDefault();
          sendTranslation();
        }
      }}
    >
      {offline && (
        <div className="composer-hint" data-testid="composer-offline">
          {t("composer.notConnected")}
        </div>
      )}
      {stage && (
        <ReplyPreviewPanel
          stage={stage}
          sending={send.isPending}
          onEdit={(v) => editTranslation(chatId, v)}
          onSendTranslation={sendTranslation}
          onSendOriginal={sendOriginal}
          onRetry={() => {
            send.reset();
            requestPreview(chatId, stage.typed);
          }}
          onCancel={cancelPreview}
        />
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
          readOnly={stage !== null}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (isSendKey(e)) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="button" className="primary" data-testid="composer-send" disabled={!canSend} onClick={submit}>
          {stage?.kind === "loading" ? t("translator.translating") : send.isPending ? t("composer.sending") : t("composer.send")}
        </button>
      </div>
      <label className="composer-translate small" title={t("translator.reply.toggleHint")}>
        <input type="checkbox" data-testid="reply-translate-toggle" checked={translateOn} onChange={(e) => toggleTranslate(e.target.checked)} />
        {t("translator.reply.toggle")}
        {clientLanguage && clientLanguage !== "unknown" && <LanguageLabel language={clientLanguage} short />}
      </label>
    </div>
  );
}
