// The reply preview's state per chat, kept outside the composer so that switching to another
// chat while a translation loads (or while one is being edited) loses nothing: coming back shows
// the preview as it was. A late answer for a cancelled or replaced preview is ignored.
import type { ReplyPreview } from "../../bindings/ReplyPreview";
import type { TranslationFlag } from "../../bindings/TranslationFlag";
import { ipc } from "../../lib/ipc";

export type Stage =
  /** Waiting for the translation of `typed`. */
  | { kind: "loading"; req: number; typed: string }
  /** Translated: `edited` is the (possibly hand-edited) translation, `flags` its latest check. */
  | {
      kind: "ready";
      req: number;
      typed: string;
      preview: ReplyPreview;
      edited: string;
      flags: TranslationFlag[];
      /** A check of `edited` is due or running. */
      checking: boolean;
      /** The last check could not run. */
      checkError: unknown;
    }
  /** Not translated: the model failed or is not set up (`preview`), or the call failed (`error`). */
  | { kind: "failed"; req: number; typed: string; preview: ReplyPreview | null; error: unknown };

type Handlers = {
  onStage: (s: Stage | null) => void;
  /** The translation turned out not to be needed: send `typed` as it is. */
  onNotNeeded: (typed: string) => void;
};

const stages = new Map<string, Stage>();
const handlers = new Map<string, Handlers>();
let nextReq = 1;

export function currentStage(chatId: string): Stage | null {
  return stages.get(chatId) ?? null;
}

export function setStage(chatId: string, s: Stage | null): void {
  if (s) stages.set(chatId, s);
  else stages.delete(chatId);
  handlers.get(chatId)?.onStage(s);
}

/** The mounted composer of `chatId` follows its stage; returns the detach function. */
export function attachComposer(chatId: string, h: Handlers): () => void {
  handlers.set(chatId, h);
  return () => {
    if (handlers.get(chatId) === h) handlers.delete(chatId);
  };
}

/** Asks the core to translate `typed` for `chatId` and moves the stage along with the answer. */
export function requestPreview(chatId: string, typed: string): void {
  const req = nextReq++;
  setStage(chatId, { kind: "loading", req, typed });
  const current = () => stages.get(chatId)?.req === req;
  let call: Promise<ReplyPreview>;
  try {
    call = ipc.replyPreview(chatId, typed);
  } catch (e) {
    call = Promise.reject(e);
  }
  call.then(
    (p) => {
      if (!current()) return;
      if (!p.needed || p.status === "not_needed") {
        setStage(chatId, null);
        // Sent only where the manager is looking; otherwise the draft waits for them.
        handlers.get(chatId)?.onNotNeeded(typed);
      } else if (p.status === "ok") {
        setStage(chatId, { kind: "ready", req, typed, preview: p, edited: p.text, flags: p.flags, checking: false, checkError: null });
      } else {
        setStage(chatId, { kind: "failed", req, typed, preview: p, error: null });
      }
    },
    (e: unknown) => {
      if (current()) setStage(chatId, { kind: "failed", req, typed, preview: null, error: e });
    },
  );
}

/** The manager changed the translation: a check is due unless it is back to the model's text. */
export function editTranslation(chatId: string, edited: string): void {
  const s = stages.get(chatId);
  if (s?.kind !== "ready") return;
  const pristine = edited === s.preview.text;
  setStage(chatId, { ...s, edited, flags: pristine ? s.preview.flags : s.flags, checking: !pristine && edited.trim() !== "", checkError: null });
}

/** Checks `edited` against the typed text and keeps the flags if the preview is still the same. */
export function checkTranslation(chatId: string, req: number, typed: string, edited: string): void {
  const still = () => {
    const s = stages.get(chatId);
    return s?.kind === "ready" && s.req === req && s.edited === edited ? s : null;
  };
  let call: Promise<TranslationFlag[]>;
  try {
    call = ipc.replyCheck(typed, edited);
  } catch (e) {
    call = Promise.reject(e);
  }
  call.then(
    (flags) => {
      const s = still();
      if (s) setStage(chatId, { ...s, flags, checking: false, checkError: null });
    },
    (e: unknown) => {
      const s = still();
      if (s) setStage(chatId, { ...s, checking: false, checkError: e });
    },
  );
}
