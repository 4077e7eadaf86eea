// A loopback mock of an OpenAI-compatible chat-completions server for the end-to-end tests:
// scripted answers chosen by what is asked (a translation into the manager's language, or a
// reply with a back-translation), every request recorded. Loopback only; closes with the test.
import http from "node:http";

/**
 * Starts the mock. `script` maps a request to the JSON object the "model" answers with:
 * `({system, user, withBack, raw}) => object` (`raw` is the request body as sent).
 */
export async function startMockLlm(script) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      let parsed = {};
      try {
        parsed = JSON.parse(body || "{}");
      } catch {
        // recorded as is
      }
      requests.push({ url: req.url, body: parsed });
      const msgs = parsed.messages ?? [];
      const system = msgs.filter((m) => m.role === "system").map((m) => m.content).join("\n");
      const user = msgs.filter((m) => m.role === "user").map((m) => m.content).join("\n");
      const withBack = JSON.stringify(parsed.response_format ?? {}).includes("back_translation") || /back_translation/.test(system);
      const answer = script({ system, user, withBack, raw: body });
      const reply = {
        id: "chatcmpl-e2e",
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify(answer) }, finish_reason: "stop" }],
        usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 },
      };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
