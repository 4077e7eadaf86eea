import { nextStatus, STATUSES, statusRank, targetStatuses } from "./status";

describe("funnel order", () => {
  it("lists the seven statuses in funnel order", () => {
    expect(STATUSES).toEqual(["new_lead", "qualified", "warmed", "proposal_sent", "negotiation", "sold", "service"]);
    expect(statusRank("new_lead")).toBe(0);
    expect(statusRank("service")).toBe(6);
  });

  it("offers every other status as a target and suggests the next one", () => {
    expect(targetStatuses("warmed")).toEqual(["new_lead", "qualified", "proposal_sent", "negotiation", "sold", "service"]);
    expect(nextStatus("new_lead")).toBe("qualified");
    expect(nextStatus("sold")).toBe("service");
    expect(nextStatus("service")).toBe("service");
  });
});
