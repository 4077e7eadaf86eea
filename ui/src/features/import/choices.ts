// The closed sets of the import contract, in the order the screens list them.
import type { ImportAction } from "../../bindings/ImportAction";
import type { ImportBatchStatus } from "../../bindings/ImportBatchStatus";
import type { ImportSource } from "../../bindings/ImportSource";

export const IMPORT_ACTIONS: readonly ImportAction[] = ["import", "skip", "merge"];
export const IMPORT_SOURCES: readonly ImportSource[] = ["files", "whatsapp"];
export const IMPORT_BATCH_STATUSES: readonly ImportBatchStatus[] = ["staged", "committed", "undone"];
