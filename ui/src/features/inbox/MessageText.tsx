// The text of a message with the translator around it: a client message translated into the
// manager's language (original kept below), a failure with its reason and Retry, "Translating…"
// while older history is translated; an outgoing translated reply with the manager's own text
// and the back-translation behind a disclosure.
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Message } from "../../bindings/Message";
import { errorSentence } from "../../lib/errors";
import { toAppError } from "../../lib/ipc";
import { failureText, flagText, translatedFrom, useMessageTranslation, useSeen, type TranslationView } from "./translation";

/** Characters of the manager's own text shown before it is expanded. */
const YOUR_TEXT_PREVIEW = 60;

export function PlainText({ body, className = "" }: { body: string; className?: string }) {
  return (
    <div className={`msg-text ${className}`.trim()} dir="auto">
      {body}
    </div>
  );
}

/** A client message's text, translated when the view asks for translations. */
export function InboundText({ message: m, managerLanguage, view }: { message: Message; managerLanguage: string | null; view: TranslationView }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const translating = view === "translations";
  const seen = useSeen(box, translating);
  const s = useMessageTranslation(m, managerLanguage, translating && seen);
  const tr = s.translation;

  if (!translating) return <PlainText body={m.body} />;

  if (tr?.status === "ok" && tr.text) {
    return (
      <div ref={box} className="msg-translated">
        <div className="msg-text msg-translation" dir="auto" data-testid="message-translation">
          {tr.text}
        </div>
        <div className="msg-translation-label" data-testid="translation-label">
          {translatedFrom(tr.source_language ?? m.language, t)}
        </div>
        {tr.flags.length > 0 && (
          <ul className="msg-translation-flags" data-testid="translation-flags">
            {tr.flags.map((f, i) => (
              <li key={i} data-testid="translation-flag">
                ⚠ <bdi dir="auto">{flagText(f, t)}</bdi>
              </li>
            ))}
          </ul>
        )}
        <PlainText body={m.body} className="msg-original" />
      </div>
    );
  }

  const problem = s.error
    ? t("translator.failed", { reason: errorSentence(toAppError(s.error), t) })
    : tr?.status === "not_configured"
      ? failureText("not_configured", t)
      : tr?.status === "failed"
        ? t("translator.failed", { reason: failureText(tr.error, t) })
        : null;
  return (
    <div ref={box}>
      <PlainText body={m.body} />
      {s.pending && (
        <div className="msg-translation-label" data-testid="translation-pending">
          {t("translator.translating")}
        </div>
      )}
      {problem && (
        <div className="msg-translation-problem" data-testid="translation-failed" data-reason={tr?.error ?? ""} role="status">
          <span>{problem}</span>
          {!s.error && tr?.status === "not_configured" && (
            <>
              {" · "}
              <Link to="/settings" data-testid="translation-settings-link">
                {t("translator.openSettings")}
              </Link>
            </>
          )}
          {" · "}
          <button type="button" className="link-button" data-testid="translation-retry" disabled={s.retrying} onClick={s.retry}>
            {s.retrying ? t("translator.translating") : t("translator.retry")}
          </button>
        </div>
      )}
    </div>
  );
}

/** An outgoing message: the text that went to WhatsApp, and when it was translated, the manager's own. */
export function OutboundText({ message: m }: { message: Message }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!m.original_body) return <PlainText body={m.body} />;
  const original = m.original_body;
  const short = original.length > YOUR_TEXT_PREVIEW ? `${original.slice(0, YOUR_TEXT_PREVIEW).trimEnd()}…` : original;
  return (
    <>
      <PlainText body={m.body} />
      <details className="msg-your-text" data-testid="message-your-text" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          {t("translator.yourText")}
          {!open && (
            <>
              : <bdi dir="auto">{short}</bdi>
            </>
          )}
        </summary>
        <div className="msg-text" dir="auto" data-testid="message-original-body">
          {original}
        </div>
        {m.back_translation && (
          <div className="msg-back">
            <span className="muted">{t("translator.backTranslation")}: </span>
            <span className="msg-text" dir="auto" data-testid="message-back-translation">
              {m.back_translation}
            </span>
          </div>
        )}
      </details>
    </>
  );
}
