// One message: direction, text (dir="auto") with its translation, media, quote, reactions,
// edited/deleted marks, time, delivery ticks, the actions for failed or unconfirmed sends, and
// the flag on a message WhatsApp has held at ack 0 for 5 minutes while connected.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "../../bindings/Message";
import { formatDateTime, formatTime } from "../../lib/format";
import { MediaView } from "./MediaView";
import { InboundText, OutboundText, PlainText } from "./MessageText";
import { failureReason } from "./ticks";
import { TickMark } from "./TickMark";
import type { TranslationView } from "./translation";

const MEDIA_KINDS = new Set(["image", "audio", "video", "document"]);

type Props = {
  message: Message;
  /** The message it replies to: found (Message), not among those loaded (null), or no reply (undefined). */
  quoted?: Message | null;
  showAuthor?: boolean;
  highlighted?: boolean;
  busy?: boolean;
  onRetry: (m: Message) => void;
  onMarkSent: (m: Message) => void;
  onQuoteClick?: (m: Message) => void;
  /** The manager's language for translations; without it (undefined) no translation is shown. */
  managerLanguage?: string | null;
  /** Client messages shown translated (default) or as written. */
  translationView?: TranslationView;
};

export function MessageBubble({ message: m, quoted, showAuthor, highlighted, busy, onRetry, onMarkSent, onQuoteClick, managerLanguage, translationView = "translations" }: Props) {
  const { t, i18n } = useTranslation();
  const deleted = Boolean(m.deleted_at) || m.kind === "deleted";
  const classes = ["msg", `msg-${m.direction}`, highlighted ? "highlighted" : "", m.status === "failed" ? "msg-failed" : ""].filter(Boolean).join(" ");

  return (
    <div className={classes} data-testid="message" data-direction={m.direction} data-status={m.status ?? ""} data-message-id={m.id}>
      <div className="bubble">
        {showAuthor && m.author && (
          <div className="msg-author" dir="auto">
            {m.author}
          </div>
        )}
        {quoted !== undefined && <Quote quoted={quoted} onClick={onQuoteClick} />}
        <Body
          message={m}
          deleted={deleted}
          text={
            m.direction === "out"
              ? <OutboundText message={m} />
              : managerLanguage !== undefined
                ? <InboundText message={m} managerLanguage={managerLanguage} view={translationView} />
                : <PlainText body={m.body} />
          }
        />
        <div className="msg-meta">
          {m.edited_at && !deleted && <span className="msg-edited">{t("message.edited")}</span>}
          <time dateTime={m.sent_at} title={formatDateTime(m.sent_at, i18n.language)}>
            {formatTime(m.sent_at, i18n.language)}
          </time>
          {m.direction === "out" && <TickMark status={m.status} />}
        </div>
      </div>
      {m.reactions.length > 0 && (
        <div className="msg-reactions" aria-label={t("message.reactions")}>
          {m.reactions.map((r, i) => (
            <span key={i} className="reaction">
              {r}
            </span>
          ))}
        </div>
      )}
      {m.status === "failed" && (
        <div className="msg-problem failed" role="alert">
          <span>{t("message.failed", { reason: failureReason(m.status_reason, t) })}</span>
          <button type="button" className="small" data-testid="message-retry" disabled={busy} onClick={() => onRetry(m)}>
            {t("message.retry")}
          </button>
        </div>
      )}
      {m.stuck && m.status === "waiting" && (
        <div className="msg-problem stuck" role="alert" data-testid="message-stuck">
          <span>{t("message.stuck")}</span>
        </div>
      )}
      {m.status === "unconfirmed" && (
        <div className="msg-problem unconfirmed" role="alert">
          <span>{t("message.unconfirmed")}</span>
          <span className="msg-problem-actions">
            <button type="button" className="small" data-testid="message-retry" disabled={busy} onClick={() => onRetry(m)}>
              {t("message.sendAgain")}
            </button>
            <button type="button" className="small" data-testid="message-mark-sent" disabled={busy} onClick={() => onMarkSent(m)}>
              {t("message.markSent")}
            </button>
          </span>
        </div>
      )}
    </div>
  );
}

/** What the message carries; `text` renders its text (with the translator around it). */
function Body({ message: m, deleted, text }: { message: Message; deleted: boolean; text: ReactNode }) {
  const { t } = useTranslation();
  if (deleted) {
    return (
      <div className="msg-deleted">
        <em>{t("message.deleted")}</em>
        {m.body && (
          <s className="msg-text" dir="auto">
            {m.body}
          </s>
        )}
      </div>
    );
  }
  if (m.kind === "text") return <>{text}</>;
  if (MEDIA_KINDS.has(m.kind)) {
    return (
      <>
        <MediaView message={m} />
        {m.body && text}
      </>
    );
  }
  return (
    <>
      <div className="msg-unsupported">
        <span className="muted">{t(`msgKind.${m.kind}`)}</span> · {t("message.unsupported")}
      </div>
      {m.body && (
        <div className="msg-text muted" dir="auto">
          {m.body}
        </div>
      )}
    </>
  );
}

function Quote({ quoted, onClick }: { quoted: Message | null; onClick?: (m: Message) => void }) {
  const { t } = useTranslation();
  if (!quoted) return <div className="msg-quote muted">{t("message.replyEarlier")}</div>;
  const text = quoted.body || t(`msgKind.${quoted.kind}`);
  return (
    <button type="button" className="msg-quote" onClick={() => onClick?.(quoted)}>
      <span className="msg-quote-who">{quoted.direction === "out" ? t("message.youQuoted") : quoted.author || t("message.themQuoted")}</span>
      <span className="msg-quote-text" dir="auto">
        {text}
      </span>
    </button>
  );
}
