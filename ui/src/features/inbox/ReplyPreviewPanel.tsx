// The reply preview above the composer: the translation into the client's language (editable,
// right-to-left for Arabic), the back-translation to check the meaning, the checker's warnings,
// and the explicit choices. When the reply could not be translated it says why and offers only
// Retry, an explicit "Send untranslated", or Cancel — nothing goes out untranslated silently.
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorMessage } from "../../components/ErrorMessage";
import { errorSentence } from "../../lib/errors";
import { toAppError } from "../../lib/ipc";
import type { Stage } from "./replyPreview";
import { failureText, flagText, translationInto } from "./translation";

type Props = {
  stage: Stage;
  /** A send is under way. */
  sending: boolean;
  onEdit: (text: string) => void;
  onSendTranslation: () => void;
  onSendOriginal: () => void;
  onRetry: () => void;
  onCancel: () => void;
};

export function ReplyPreviewPanel({ stage, sending, onEdit, onSendTranslation, onSendOriginal, onRetry, onCancel }: Props) {
  const { t } = useTranslation();
  const cancel = (
    <button type="button" data-testid="reply-cancel" disabled={sending} onClick={onCancel}>
      {t("translator.reply.cancel")}
    </button>
  );

  if (stage.kind === "loading") {
    return (
      <div className="reply-preview loading" data-testid="reply-preview" data-status="loading" aria-busy="true">
        <div className="reply-preview-head">
          <span className="spinner" data-testid="reply-preview-spinner" aria-hidden="true" />
          <span role="status">{t("translator.reply.loading")}</span>
          <span className="reply-preview-spacer" />
          {cancel}
        </div>
      </div>
    );
  }

  if (stage.kind === "failed") {
    const code = stage.preview?.status === "not_configured" ? "not_configured" : stage.preview?.error ?? null;
    const reason = stage.error
      ? t("translator.failed", { reason: errorSentence(toAppError(stage.error), t) })
      : code === "not_configured"
        ? failureText("not_configured", t)
        : t("translator.failed", { reason: failureText(code, t) });
    return (
      <div className="reply-preview failed" data-testid="reply-preview" data-status={stage.preview?.status ?? "error"}>
        <div className="reply-preview-reason" role="alert" data-testid="reply-preview-reason">
          {reason}
          {code === "not_configured" && (
            <>
              {" · "}
              <Link to="/settings" data-testid="reply-settings-link">
                {t("translator.openSettings")}
              </Link>
            </>
          )}
        </div>
        <p className="muted small">{t("translator.reply.failedHint")}</p>
        <div className="reply-actions">
          <button type="button" className="primary" data-testid="reply-retry" disabled={sending} onClick={onRetry}>
            {t("translator.reply.retry")}
          </button>
          <button type="button" data-testid="reply-send-original" disabled={sending} onClick={onSendOriginal}>
            {t("translator.reply.sendUntranslated")}
          </button>
          {cancel}
        </div>
      </div>
    );
  }

  const { preview, edited, flags, checking, checkError } = stage;
  const stale = edited !== preview.text;
  return (
    <div className="reply-preview" data-testid="reply-preview" data-status="ok">
      <div className="reply-preview-head">
        <strong data-testid="reply-language">{translationInto(preview.client_language, t)}</strong>
        <span className="muted small">{t("translator.reply.editHint")}</span>
      </div>
      <textarea
        data-testid="reply-translation"
        dir="auto"
        rows={3}
        autoFocus
        value={edited}
        aria-label={translationInto(preview.client_language, t)}
        onChange={(e) => onEdit(e.target.value)}
      />
      {preview.back_translation && (
        <div className={stale ? "reply-back stale" : "reply-back"}>
          <div className="muted small" data-testid="reply-back-label">
            {stale ? t("translator.reply.backStale") : t("translator.reply.backTitle")}
          </div>
          <div className="msg-text" dir="auto" data-testid="reply-back-translation">
            {preview.back_translation}
          </div>
        </div>
      )}
      {flags.length > 0 && (
        <div className="reply-flags" role="alert" data-testid="reply-flags">
          <div>{t("translator.reply.flagsTitle")}</div>
          <ul>
            {flags.map((f, i) => (
              <li key={`${f.code}-${f.value}-${i}`} data-testid="reply-flag" data-code={f.code}>
                ⚠ <bdi dir="auto">{flagText(f, t)}</bdi>
              </li>
            ))}
          </ul>
        </div>
      )}
      {checking && (
        <div className="muted small" data-testid="reply-checking">
          {t("translator.reply.checking")}
        </div>
      )}
      {checkError !== null && checkError !== undefined && <ErrorMessage error={checkError} />}
      <div className="reply-actions">
        <button type="button" className="primary" data-testid="reply-send" disabled={sending || edited.trim() === ""} onClick={onSendTranslation}>
          {sending ? t("composer.sending") : t("translator.reply.send")}
        </button>
        <button type="button" data-testid="reply-send-original" disabled={sending} onClick={onSendOriginal}>
          {t("translator.reply.sendOriginal")}
        </button>
        {cancel}
        <span className="muted small reply-shortcut">{t("translator.reply.shortcut")}</span>
      </div>
    </div>
  );
}
