// A plain static file server for a built site, without compression, as a
// simple host would serve it (index.html for folders, 404.html for what is missing). The
// browser tests load pages over HTTP, as readers do: font preloads, which
// are CORS requests, cannot work from file: URLs.

import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { join, normalize, extname } from "node:path";

const types = { ".html": "text/html", ".css": "text/css", ".woff2": "font/woff2", ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/atom+xml", ".png": "image/png", ".ico": "image/x-icon", ".pdf": "application/pdf" };

/** Serves dir on a free port of 127.0.0.1; resolves to { origin, close }. */
export async function serve(dir) {
  const root = normalize(dir);
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.endsWith("/")) path += "index.html";
    const file = join(root, path);
    try {
      if (!file.startsWith(root) || !statSync(file).isFile()) throw new Error("not a file");
      res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
      res.end(readFileSync(file));
    } catch {
      // As static hosts do: the site's 404.html, whatever the depth of the address.
      let page = "";
      try { page = readFileSync(join(root, "404.html")); } catch { /* no 404 page */ }
      res.writeHead(404, { "content-type": "text/html" });
      res.end(page);
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { origin: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}
