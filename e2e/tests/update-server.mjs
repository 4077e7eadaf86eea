// A loopback update server for the updater test: serves one manifest per channel and package
// files, with the faults a real server or network shows (204, not JSON, 404, a download cut
// halfway, a throttled download so the progress bar can be seen). Binds 127.0.0.1 only.
import { createServer } from "node:http";

/** Starts the server on 127.0.0.1:`port`; returns {set, setFile, requests, close}. */
export async function startUpdateServer(port) {
  /** @type {Map<string, {status: number, body?: string|Buffer, type?: string, cut?: boolean, chunkMs?: number}>} */
  const routes = new Map();
  const requests = [];
  const sockets = new Set();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    requests.push(path);
    const r = routes.get(path);
    if (!r) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (r.status === 204 || r.body === undefined) {
      res.writeHead(r.status).end();
      return;
    }
    const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
    res.writeHead(r.status, { "content-type": r.type ?? "application/json", "content-length": String(body.length) });
    if (r.cut) {
      // Half the bytes, then the connection drops: the length promised is never reached.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
      return;
    }
    if (!r.chunkMs) {
      res.end(body);
      return;
    }
    // Throttled: 40 slices, one every chunkMs (bounded: the whole transfer takes 40 × chunkMs).
    const slice = Math.ceil(body.length / 40);
    let at = 0;
    const next = () => {
      if (res.destroyed) return;
      if (at >= body.length) return void res.end();
      res.write(body.subarray(at, at + slice));
      at += slice;
      setTimeout(next, r.chunkMs);
    };
    next();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    /** Serves `path` with this answer (a JSON value, a string, or {status}). */
    set(path, answer) {
      if (typeof answer === "number") routes.set(path, { status: answer });
      else if (typeof answer === "string") routes.set(path, { status: 200, body: answer, type: "text/html" });
      else routes.set(path, { status: 200, body: JSON.stringify(answer) });
    },
    /** Serves a package file. */
    setFile(path, bytes, opts = {}) {
      routes.set(path, { status: 200, body: bytes, type: "application/octet-stream", ...opts });
    },
    drop(path) {
      routes.delete(path);
    },
    requests,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A Tauri update manifest with one `linux-x86_64-deb` entry. */
export function manifest(version, url, signature, notes = "") {
  return {
    version,
    notes,
    pub_date: "2026-12-01T10:00:00Z",
    platforms: { "linux-x86_64-deb": { url, signature } },
  };
}
