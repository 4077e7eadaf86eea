import { emptyTourForm, isProblem, parseTags, tourFormToInput } from "./tourForm";

describe("tour form", () => {
  it("converts the typed price with the currency's digits", () => {
    const input = tourFormToInput({ ...emptyTourForm(), title: "Song-Köl", price: "1250.50", currency: "usd" });
    expect(isProblem(input)).toBe(false);
    if (!isProblem(input)) {
      expect(input.price_minor).toBe(125050);
      expect(input.currency).toBe("USD");
    }
    const yen = tourFormToInput({ ...emptyTourForm(), title: "x", price: "15000", currency: "JPY" });
    expect(!isProblem(yen) && yen.price_minor).toBe(15000);
  });

  it("explains a bad price or currency before anything is sent", () => {
    expect(tourFormToInput({ ...emptyTourForm(), price: "-3" })).toEqual({ kind: "price", digits: 2 });
    expect(tourFormToInput({ ...emptyTourForm(), price: "1.5", currency: "JPY" })).toEqual({ kind: "price", digits: 0 });
    expect(tourFormToInput({ ...emptyTourForm(), price: "1", currency: "dollars" })).toEqual({ kind: "currency" });
  });

  it("splits tags on commas and drops empty date inputs", () => {
    expect(parseTags(" halal-friendly, horses,, ")).toEqual(["halal-friendly", "horses"]);
    const input = tourFormToInput({ ...emptyTourForm(), price: "10", departures: ["2027-07-01", ""], season_months: [8, 6, 7] });
    expect(!isProblem(input) && input.departures).toEqual(["2027-07-01"]);
    expect(!isProblem(input) && input.season_months).toEqual([6, 7, 8]);
  });
});
