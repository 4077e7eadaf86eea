import { formatBytes, localTimeIn } from "./format";

describe("client local time", () => {
  it("shows the wall-clock time in the client's zone", () => {
    const noonUtc = new Date("2026-07-01T12:00:00Z");
    expect(localTimeIn("Asia/Bishkek", "ru", noonUtc)).toBe("18:00");
    expect(localTimeIn("Europe/Warsaw", "en", noonUtc)).toBe("14:00");
  });

  it("gives nothing for a zone it does not know", () => {
    expect(localTimeIn("Mars/Olympus", "en")).toBeNull();
  });

  it("formats sizes", () => {
    expect(formatBytes(512, "en")).toBe("512 B");
    expect(formatBytes(2048, "en")).toBe("2 KB");
  });
});
