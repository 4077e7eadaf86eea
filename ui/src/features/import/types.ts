// Import types the core does not generate into ui/src/bindings (the rest — ImportBatch,
// ImportItem, ImportItemUpdate, ImportFile, ImportSummary, UndoReport … — come from there).

/** A WhatsApp chat offered for a history fetch (`import_wa_chats`). */
export type WaChatChoice = { id: string; name: string | null; is_group: boolean; unread_count: number; timestamp: number | null };

/** Payload of the "import:progress" event of a WhatsApp history fetch. */
export type ImportProgress = {
  batch_id: string;
  done: number;
  total: number;
  chat: string | null;
  finished: boolean;
  cancelled: boolean;
  error: string | null;
};
