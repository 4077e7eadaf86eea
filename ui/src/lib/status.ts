// The seven funnel statuses in funnel order (mirrors FunnelStatus::ALL in crates/core).
import type { FunnelStatus } from "../bindings/FunnelStatus";

export const STATUSES: readonly FunnelStatus[] = [
  "new_lead",
  "qualified",
  "warmed",
  "proposal_sent",
  "negotiation",
  "sold",
  "service",
];

/** Position of a status in the funnel, from 0. */
export function statusRank(s: FunnelStatus): number {
  return STATUSES.indexOf(s);
}

/** The statuses a client in `current` can be moved to (all others, in funnel order). */
export function targetStatuses(current: FunnelStatus): FunnelStatus[] {
  return STATUSES.filter((s) => s !== current);
}

/** The next status in the funnel, or the current one at the end. */
export function nextStatus(current: FunnelStatus): FunnelStatus {
  const i = statusRank(current);
  return STATUSES[Math.min(i + 1, STATUSES.length - 1)];
}
