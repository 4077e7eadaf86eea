// A short-lived notice bar at the bottom ("Saved", "Moved to the bin — Undo").
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** A notice: `text` already translated, or `textKey` translated when shown (so a notice raised
 * around a language switch is never left in the old language). */
export type NoticeInput = { text?: string; textKey?: string; actionLabel?: string; onAction?: () => void; ms?: number };
type NoticeState = NoticeInput & { id: number };

const NoticeContext = createContext<(n: NoticeInput) => void>(() => {});

/** Shows a notice; a new one replaces the old. */
export function useNotice() {
  return useContext(NoticeContext);
}

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const counter = useRef(0);
  const { i18n, t } = useTranslation();
  // A notice is written in the language of its moment; a language switch drops it.
  useEffect(() => setNotice(null), [i18n.language]);
  const show = useCallback((n: NoticeInput) => {
    counter.current += 1;
    setNotice({ ...n, id: counter.current });
  }, []);
  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => setNotice(null), notice.ms ?? (notice.onAction ? 8000 : 3000));
    return () => window.clearTimeout(timer);
  }, [notice]);
  return (
    <NoticeContext.Provider value={show}>
      {children}
      {notice && (
        <div className="notice" role="status" data-testid="notice">
          <span>{notice.textKey ? t(notice.textKey) : notice.text}</span>
          {notice.onAction && (
            <button
              type="button"
              className="link-button"
              data-testid="notice-action"
              onClick={() => {
                notice.onAction?.();
                setNotice(null);
              }}
            >
              {notice.actionLabel}
            </button>
          )}
          <button type="button" className="icon-button" onClick={() => setNotice(null)} aria-label="×">
            ×
          </button>
        </div>
      )}
    </NoticeContext.Provider>
  );
}
