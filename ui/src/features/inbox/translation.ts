// The translator in the conversation: the manager's language, which messages still need a
// translation, fetching them lazily (only visible ones, a few at a time), retrying, per-chat
// preferences, and the wording of failures and checker flags.
import { useMutation, useQuery, useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useEffect, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { AiFailure } from "../../bindings/AiFailure";
import type { Message } from "../../bindings/Message";
import type { MessagePage } from "../../bindings/MessagePage";
import type { MessageWindow } from "../../bindings/MessageWindow";
import type { MessageTranslation } from "../../bindings/MessageTranslation";
import type { TranslationFlag } from "../../bindings/TranslationFlag";
import { AI_FAILURES, LANGUAGES_WITH_UNKNOWN } from "../../lib/choices";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";

/** How many lazy translations of older messages may run at once. */
export const MAX_LAZY_TRANSLATIONS = 3;

/**
 * A client message this fresh is being translated by the core on arrival (the "inbox:changed"
 * event brings the result); asking as well would call the model twice, so the UI waits this
 * long before asking itself.
 */
export const LIVE_GRACE_MS = 20_000;

/** Query key of one message's lazily fetched translation into one language. */
export const translationKey = (messageId: string, language: string | null) => ["messageTranslation", messageId, language] as const;

/** The signed-in manager's language for translations ("ru", "en", …); null until known. */
export function useManagerLanguage(): string | null {
  const { i18n } = useTranslation();
  const q = useQuery({ queryKey: keys.aiLanguage, queryFn: ipc.aiLanguageGet, staleTime: 60_000 });
  if (q.data) return q.data.effective;
  // The core defaults to the UI language; without an answer, so do we.
  return q.isError ? (i18n.language === "en" ? "en" : "ru") : null;
}

/** True when the message carries text a translator could work on. */
export function hasText(m: Message): boolean {
  return !m.deleted_at && m.kind !== "deleted" && m.kind !== "system" && m.body.trim() !== "";
}

/** A client message with no translation yet whose language is not the manager's (or not yet known). */
export function needsTranslation(m: Message, managerLanguage: string): boolean {
  if (m.direction !== "in" || m.translation || !hasText(m)) return false;
  return m.language == null || (m.language !== "unknown" && m.language !== managerLanguage);
}

/** True when the message is (or will be) shown translated: a client message in another language. */
export function isForeign(m: Message, managerLanguage: string): boolean {
  if (m.direction !== "in" || !hasText(m)) return false;
  if (m.translation) return m.translation.status !== "not_needed";
  return m.language != null && m.language !== "unknown" && m.language !== managerLanguage;
}

/** Puts a translation into the open conversation's cached pages. */
export function setMessageTranslation(qc: QueryClient, chatId: string, t: MessageTranslation): void {
  qc.setQueriesData<InfiniteData<MessagePage, MessageWindow>>({ queryKey: keys.chatMessages(chatId) }, (data) => {
    if (!data) return data;
    let changed = false;
    const pages = data.pages.map((page) => ({
      ...page,
      messages: page.messages.map((m) => {
        if (m.id !== t.message_id) return m;
        changed = true;
        return { ...m, translation: t, language: m.language ?? t.source_language ?? null };
      }),
    }));
    return changed ? { ...data, pages } : data;
  });
}

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `fn` when fewer than MAX_LAZY_TRANSLATIONS others are running. */
export function limited<T>(fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const run = () => {
      running++;
      let p: Promise<T>;
      try {
        p = fn();
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(resolve, reject).finally(() => {
        running--;
        waiting.shift()?.();
      });
    };
    if (running < MAX_LAZY_TRANSLATIONS) run();
    else waiting.push(run);
  });
}

/** False while a message sent at `sentAt` is within LIVE_GRACE_MS of now, then true. */
export function useGraceOver(sentAt: string): boolean {
  const left = () => {
    const age = Date.now() - Date.parse(sentAt);
    // A clock a little ahead on the phone still counts as fresh.
    return Number.isNaN(age) || Math.abs(age) >= LIVE_GRACE_MS ? 0 : LIVE_GRACE_MS - age;
  };
  const [over, setOver] = useState(() => left() <= 0);
  useEffect(() => {
    if (over) return;
    const timer = window.setTimeout(() => setOver(true), Math.max(0, left()));
    return () => window.clearTimeout(timer);
  }, [over, sentAt]);
  return over;
}

/** True once the element has come near the visible area (always true without IntersectionObserver). */
export function useSeen(ref: RefObject<Element>, watch: boolean): boolean {
  const [seen, setSeen] = useState(() => typeof IntersectionObserver === "undefined");
  useEffect(() => {
    const el = ref.current;
    if (!watch || seen || !el || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setSeen(true);
    }, { rootMargin: "200px 0px" });
    io.observe(el);
    return () => io.disconnect();
  }, [ref, watch, seen]);
  return seen;
}

export type TranslationState = {
  /** The translation to show: cached with the message, fetched lazily, or retried. */
  translation: MessageTranslation | null;
  /** Waiting for a lazy translation. */
  pending: boolean;
  /** The call itself failed (not the model): a core error. */
  error: unknown;
  retry: () => void;
  retrying: boolean;
};

/**
 * The translation of a client message. A message the core has not translated yet (imported
 * history, or a live one the core has not finished with after LIVE_GRACE_MS) is asked for once
 * `active` (shown translated and seen), a few at a time.
 */
export function useMessageTranslation(m: Message, managerLanguage: string | null, active: boolean): TranslationState {
  const qc = useQueryClient();
  const need = managerLanguage !== null && needsTranslation(m, managerLanguage);
  const graceOver = useGraceOver(m.sent_at);
  const lazy = useQuery({
    queryKey: translationKey(m.id, managerLanguage),
    queryFn: async () => {
      const t = await limited(() => ipc.messageTranslation(m.id, false));
      setMessageTranslation(qc, m.chat_id, t);
      return t;
    },
    enabled: need && active && graceOver,
    staleTime: Infinity,
    retry: false,
  });
  const again = useMutation({
    mutationFn: () => ipc.messageTranslation(m.id, true),
    onSuccess: (t) => {
      qc.setQueryData(translationKey(m.id, managerLanguage), t);
      setMessageTranslation(qc, m.chat_id, t);
    },
  });
  // A not-configured answer is not cached by the core, so a refetch of the page drops it; the
  // lazily fetched one stays.
  const translation = (again.isSuccess ? again.data : null) ?? m.translation ?? lazy.data ?? null;
  return {
    translation,
    pending: need && active && !translation && !lazy.error && !again.error,
    error: again.error ?? (translation ? null : lazy.error),
    retry: () => again.mutate(),
    retrying: again.isPending,
  };
}

/** Why a translation failed, as one phrase in the UI language. */
export function failureText(code: AiFailure | null | undefined, t: TFunction): string {
  return code && (AI_FAILURES as readonly string[]).includes(code) ? t(`translator.reason.${code}`) : t("translator.reason.generic");
}

/** A checker flag in words, with its value inserted. */
export function flagText(f: TranslationFlag, t: TFunction): string {
  const known = ["token_missing", "token_repeated", "unknown_placeholder", "fact_missing", "fact_added"];
  return t(known.includes(f.code) ? `translator.flag.${f.code}` : "translator.flag.other", { value: f.value });
}

/** "Translated from Arabic" (or just "Translated" when the language is not known). */
export function translatedFrom(language: string | null | undefined, t: TFunction): string {
  const l = language && (LANGUAGES_WITH_UNKNOWN as readonly string[]).includes(language) ? language : "unknown";
  return t(`translator.from.${l}`);
}

/** "Translation into Arabic" (or just "Translation"). */
export function translationInto(language: string | null | undefined, t: TFunction): string {
  const l = language && (LANGUAGES_WITH_UNKNOWN as readonly string[]).includes(language) ? language : "unknown";
  return t(`translator.into.${l}`);
}

/** How client messages are shown in a chat. */
export type TranslationView = "translations" | "originals";

const VIEW_KEY = "tourdesk.translationView.";
const REPLY_KEY = "tourdesk.translateReplies.";

function readPref(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writePref(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage can be unavailable; the choice holds for this session.
  }
}

/** The chat's remembered view, translations by default. */
export function storedView(chatId: string): TranslationView {
  return readPref(VIEW_KEY + chatId) === "originals" ? "originals" : "translations";
}

export function storeView(chatId: string, view: TranslationView): void {
  writePref(VIEW_KEY + chatId, view);
}

/** Whether the manager chose to translate replies in this chat; null when never chosen. */
export function storedTranslateReplies(chatId: string): boolean | null {
  const v = readPref(REPLY_KEY + chatId);
  return v === "on" ? true : v === "off" ? false : null;
}

export function storeTranslateReplies(chatId: string, on: boolean): void {
  writePref(REPLY_KEY + chatId, on ? "on" : "off");
}

/** Replies are translated by default unless the client is known to write the manager's language. */
export function translateRepliesByDefault(clientLanguage: string | null | undefined, managerLanguage: string | null | undefined): boolean {
  return !(clientLanguage && managerLanguage && clientLanguage === managerLanguage);
}
