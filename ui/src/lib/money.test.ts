import { currencyDigits, formatMoney, fromMinor, toMinor } from "./money";

describe("money conversion", () => {
  it("knows the minor digits of common, zero-digit and three-digit currencies", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(currencyDigits("kgs")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("KRW")).toBe(0);
    expect(currencyDigits("CLP")).toBe(0);
    expect(currencyDigits("KWD")).toBe(3);
    expect(currencyDigits("BHD")).toBe(3);
    expect(currencyDigits("TND")).toBe(3);
  });

  it("converts typed decimals to minor units without float rounding", () => {
    expect(toMinor("1250.50", "USD")).toBe(125050);
    expect(toMinor("1250.5", "USD")).toBe(125050);
    expect(toMinor("1250", "USD")).toBe(125000);
    expect(toMinor("0.29", "EUR")).toBe(29);
    expect(toMinor("0.07", "EUR")).toBe(7);
    expect(toMinor("19.99", "USD")).toBe(1999);
    expect(toMinor("1 250,75", "EUR")).toBe(125075);
    expect(toMinor("0", "USD")).toBe(0);
    expect(toMinor("15000", "JPY")).toBe(15000);
    expect(toMinor("1.234", "KWD")).toBe(1234);
    expect(toMinor("1.2", "KWD")).toBe(1200);
  });

  it("refuses negatives, text, empty input and too many decimals", () => {
    expect(toMinor("-5", "USD")).toBeNull();
    expect(toMinor("abc", "USD")).toBeNull();
    expect(toMinor("", "USD")).toBeNull();
    expect(toMinor("1.234", "USD")).toBeNull();
    expect(toMinor("10.5", "JPY")).toBeNull();
    expect(toMinor("1.2345", "KWD")).toBeNull();
    expect(toMinor("1e5", "USD")).toBeNull();
  });

  it("turns minor units back into the decimal a person types", () => {
    expect(fromMinor(125050, "USD")).toBe("1250.50");
    expect(fromMinor(7, "EUR")).toBe("0.07");
    expect(fromMinor(0, "USD")).toBe("0.00");
    expect(fromMinor(15000, "JPY")).toBe("15000");
    expect(fromMinor(1234, "KWD")).toBe("1.234");
    expect(fromMinor(5, "KWD")).toBe("0.005");
  });

  it("round-trips every value it produces", () => {
    for (const [cur, minor] of [["USD", 1], ["USD", 99999], ["JPY", 42], ["OMR", 1001]] as const) {
      expect(toMinor(fromMinor(minor, cur), cur)).toBe(minor);
    }
  });

  it("formats prices with the currency's digits", () => {
    expect(formatMoney(125050, "USD", "en-US")).toBe("$1,250.50");
    expect(formatMoney(15000, "JPY", "en-US")).toBe("¥15,000");
  });
});
