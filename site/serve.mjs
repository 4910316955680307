// Serves the built site (site/out) on 127.0.0.1. Usage: node site/serve.mjs [--port N] [--dir DIR]
// Port 0 picks a free port; the address is printed on the first line.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm", ".png": "image/png", ".svg": "image/svg+xml" };

/** Starts a static server for `dir`; resolves to { server, url }. */
export function serve(dir, port = 8080) {
  const root = resolve(dir);
  if (!existsSync(join(root, "index.html"))) throw new Error(`${root}: no index.html (run npm run site first)`);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
    createReadStream(file).pipe(res);
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      done({ server, url: `http://127.0.0.1:${address.port}/` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const value = (flag, fallback) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : fallback);
  const port = Number(value("--port", "8080"));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: expected a port number 0-65535, got "${value("--port")}"`);
    process.exit(2);
  }
  const dir = value("--dir", join(dirname(fileURLToPath(import.meta.url)), "out"));
  try {
    const { url } = await serve(dir, port);
    console.log(`serving ${dir} at ${url}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
