import { describe, expect, it } from "vitest";
import type { UpdateState } from "../../bindings/UpdateState";
import { opensDialog, progressPercent } from "./updateState";

const available: UpdateState = { state: "available", current: "0.1.0", version: "0.2.0", notes: "Faster inbox" };

describe("update state", () => {
  it("computes the download percentage only when the size is known", () => {
    expect(progressPercent({ state: "downloading", version: "0.2.0", received: 512, total: 1024 })).toBe(50);
    expect(progressPercent({ state: "downloading", version: "0.2.0", received: 2048, total: 1024 })).toBe(100);
    expect(progressPercent({ state: "downloading", version: "0.2.0", received: 10, total: null })).toBeNull();
    expect(progressPercent(available)).toBeNull();
  });

  it("opens the dialog for a new version unless it was put off, and for the steps of an install", () => {
    expect(opensDialog(available, null, false)).toBe(true);
    expect(opensDialog(available, "0.2.0", false)).toBe(false);
    expect(opensDialog(available, "0.1.5", false)).toBe(true);
    expect(opensDialog({ state: "downloading", version: "0.2.0", received: 1, total: 2 }, null, false)).toBe(true);
  });

  it("keeps background checks quiet: up to date, no server, failures outside an install", () => {
    expect(opensDialog({ state: "up_to_date", current: "0.1.0" }, null, false)).toBe(false);
    expect(opensDialog({ state: "checking" }, null, false)).toBe(false);
    const failed: UpdateState = { state: "failed", failure: "network", detail: "connection refused", command: null };
    expect(opensDialog(failed, null, false)).toBe(false);
    expect(opensDialog(failed, null, true), "a failure of an install the user started is shown").toBe(true);
  });
});
