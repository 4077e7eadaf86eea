// The running WhatsApp history fetch, kept outside the page so that leaving the import screen and
// coming back shows it again. Progress arrives as "import:progress" events; listening starts
// before the fetch is started so that no early event is missed.
import { useSyncExternalStore } from "react";
import { IMPORT_PROGRESS_EVENT, subscribe } from "../../lib/events";
import { ipc } from "../../lib/ipc";
import type { ImportProgress } from "../../bindings/ImportProgress";

export type WaJob = { batchId: string; progress: ImportProgress | null; cancelling: boolean };

let job: WaJob | null = null;
/** Progress seen per batch (events may come before the start call answers). */
const seen = new Map<string, ImportProgress>();
let unlisten: (() => void) | null = null;
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

function listen() {
  if (unlisten) return;
  unlisten = subscribe<ImportProgress>(IMPORT_PROGRESS_EVENT, (p) => {
    seen.set(p.batch_id, p);
    if (job && job.batchId === p.batch_id) {
      job = { ...job, progress: p };
      emit();
    }
  });
}

function stopListening() {
  unlisten?.();
  unlisten = null;
  seen.clear();
}

export const waJob = {
  /** Starts fetching the chats' history; resolves with the batch id. */
  async start(chatIds: string[]): Promise<string> {
    listen();
    try {
      const batchId = await ipc.importWaStart(chatIds);
      job = { batchId, progress: seen.get(batchId) ?? null, cancelling: false };
      emit();
      return batchId;
    } catch (e) {
      if (!job) stopListening();
      throw e;
    }
  },
  /** Asks the core to stop; the final event (cancelled) ends the job. */
  async cancel(): Promise<void> {
    if (!job) return;
    job = { ...job, cancelling: true };
    emit();
    try {
      await ipc.importCancel(job.batchId);
    } catch (e) {
      if (job) job = { ...job, cancelling: false };
      emit();
      throw e;
    }
  },
  /** Forgets the job (after it ended and its outcome was shown). */
  clear(): void {
    job = null;
    stopListening();
    emit();
  },
  get(): WaJob | null {
    return job;
  },
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

/** The running (or just ended) WhatsApp fetch, or null. */
export function useWaJob(): WaJob | null {
  return useSyncExternalStore(waJob.subscribe, waJob.get, waJob.get);
}

/** Share done of a progress, 0..100. */
export function progressPercent(p: ImportProgress | null): number {
  if (!p || p.total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((p.done / p.total) * 100)));
}
