import { baseUrlForPreset, PRESET_BASE_URL, testResultMessage } from "./aiForm";
import { AI_PRESETS } from "../../lib/choices";

describe("AI provider form", () => {
  it("fills each preset's base URL and keeps a custom one as typed", () => {
    expect(baseUrlForPreset("openai", "http://x/v1")).toBe("https://api.openai.com/v1");
    expect(baseUrlForPreset("ollama", "")).toBe("http://127.0.0.1:11434/v1");
    expect(baseUrlForPreset("custom", "http://lm.local:1234/v1")).toBe("http://lm.local:1234/v1");
    for (const p of AI_PRESETS) expect(typeof PRESET_BASE_URL[p]).toBe("string");
  });

  it("turns a test result into a translated sentence key, never raw detail", () => {
    expect(testResultMessage({ ok: true, model: "m", latency_ms: 42, failure: null, detail: null })).toEqual({
      key: "ai.testOk",
      values: { model: "m", ms: 42 },
    });
    const failed = testResultMessage({ ok: false, model: "m", latency_ms: 3, failure: "unauthorized", detail: "HTTP 401" });
    expect(failed.key).toBe("aiFailure.unauthorized");
  });
});
