// Pure helpers of the AI provider form: preset defaults and the test result sentence.
import type { AiPreset } from "../../bindings/AiPreset";
import type { AiTestResult } from "../../bindings/AiTestResult";

/** Each preset's base URL (mirrors `AiPreset::default_base_url` in crates/core). */
export const PRESET_BASE_URL: Record<AiPreset, string> = {
  openai: "https://api.openai.com/v1",
  openrouter: "https://openrouter.ai/api/v1",
  ollama: "http://127.0.0.1:11434/v1",
  custom: "",
};

/** An example model name per preset, shown as the placeholder. */
export const PRESET_MODEL_EXAMPLE: Record<AiPreset, string> = {
  openai: "gpt-4o-mini",
  openrouter: "openai/gpt-4o-mini",
  ollama: "llama3.1:8b",
  custom: "model-name",
};

/** The base URL after picking `next`: its default, or the current one for a custom endpoint. */
export function baseUrlForPreset(next: AiPreset, current: string): string {
  return next === "custom" ? current : PRESET_BASE_URL[next];
}

/** The translation key and values of a test-connection result. */
export function testResultMessage(r: AiTestResult): { key: string; values: Record<string, string | number> } {
  if (r.ok) return { key: "ai.testOk", values: { model: r.model, ms: r.latency_ms } };
  return { key: `aiFailure.${r.failure ?? "server_error"}`, values: {} };
}
