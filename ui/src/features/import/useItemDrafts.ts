// The review's edits: one draft per item, saved through import_item_update (typed text after a
// pause, choices at once). A late answer never overwrites a newer edit, an error keeps what was
// typed, and leaving the screen still saves what is pending.
import { useCallback, useEffect, useRef, useState } from "react";
import type { AppError } from "../../bindings/AppError";
import { ipc, toAppError } from "../../lib/ipc";
import type { ImportItem } from "../../bindings/ImportItem";
import type { ImportItemUpdate } from "../../bindings/ImportItemUpdate";

/** An item's editable fields as the form holds them (the phone as typed, "" when unknown). */
export type Draft = Omit<ImportItemUpdate, "phone"> & { phone: string };

export function draftOf(item: ImportItem): Draft {
  return {
    name: item.name,
    phone: item.phone ?? "",
    language: item.language,
    suggested_status: item.suggested_status,
    action: item.action,
    merge_into: item.merge_into ?? null,
    time_zone: item.time_zone,
  };
}

/** The update sent to the core: an empty phone is "unknown" (null); only a merge has a target. */
export function toUpdate(d: Draft): ImportItemUpdate {
  const phone = d.phone.trim();
  return {
    name: d.name,
    phone: phone === "" ? null : phone,
    language: d.language,
    suggested_status: d.suggested_status,
    action: d.action,
    merge_into: d.action === "merge" ? d.merge_into ?? null : null,
    time_zone: d.time_zone.trim(),
  };
}

/** A merge without a chosen client cannot be saved or committed yet. */
export function needsTarget(d: Draft): boolean {
  return d.action === "merge" && !d.merge_into;
}

export const TEXT_SAVE_DELAY_MS = 500;

export function useItemDrafts(items: ImportItem[], delayMs = TEXT_SAVE_DELAY_MS) {
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() => Object.fromEntries(items.map((i) => [i.id, draftOf(i)])));
  const draftsRef = useRef(drafts);
  const [saved, setSaved] = useState<Record<string, ImportItem>>(() => Object.fromEntries(items.map((i) => [i.id, i])));
  const [errors, setErrors] = useState<Record<string, AppError | undefined>>({});
  const errorsRef = useRef(errors);
  const timers = useRef(new Map<string, number>());
  const seq = useRef(new Map<string, number>());
  const inflight = useRef(new Set<Promise<void>>());

  const setError = (id: string, err: AppError | undefined) => {
    errorsRef.current = { ...errorsRef.current, [id]: err };
    setErrors(errorsRef.current);
  };

  const save = useCallback((id: string) => {
    const timer = timers.current.get(id);
    if (timer !== undefined) {
      window.clearTimeout(timer);
      timers.current.delete(id);
    }
    const draft = draftsRef.current[id];
    if (!draft || needsTarget(draft)) return;
    const n = (seq.current.get(id) ?? 0) + 1;
    seq.current.set(id, n);
    const p: Promise<void> = ipc.importItemUpdate(id, toUpdate(draft)).then(
      (item) => {
        if (seq.current.get(id) !== n) return;
        setSaved((s) => ({ ...s, [id]: item }));
        setError(id, undefined);
      },
      (e: unknown) => {
        if (seq.current.get(id) === n) setError(id, toAppError(e));
      },
    );
    inflight.current.add(p);
    void p.finally(() => inflight.current.delete(p));
  }, []);

  /** Applies an edit; `typed` edits are saved after a pause, others at once. */
  const change = useCallback(
    (id: string, patch: Partial<Draft>, typed: boolean) => {
      const next = { ...draftsRef.current, [id]: { ...draftsRef.current[id], ...patch } };
      draftsRef.current = next;
      setDrafts(next);
      if (!typed) {
        save(id);
        return;
      }
      const old = timers.current.get(id);
      if (old !== undefined) window.clearTimeout(old);
      timers.current.set(id, window.setTimeout(() => save(id), delayMs));
    },
    [save, delayMs],
  );

  /** Saves everything pending and waits for the answers; true when no item has an error. */
  const flush = useCallback(async (): Promise<boolean> => {
    for (const id of [...timers.current.keys()]) save(id);
    while (inflight.current.size > 0) await Promise.all([...inflight.current]);
    return !Object.values(errorsRef.current).some(Boolean);
  }, [save]);

  // Leaving the screen still saves what was typed.
  useEffect(
    () => () => {
      for (const id of [...timers.current.keys()]) save(id);
    },
    [save],
  );

  return { drafts, saved, errors, change, flush };
}
