// Measures `pir serve`'s save-to-paint time in headless Chromium: how long
// from writing a piece to disk until the open page has reloaded and painted
// the new text. Each binary given is measured on its own copy of the
// project, one after the other, in the same run, so a baseline binary (an
// older pir) and the new one see the same machine.
//
// Usage: node save-to-paint.mjs <project> <rounds> <label=pir-binary>...
// The project's issues/january-2021/note.md is edited (tests/fixtures/valid).

import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const [project, roundsArg, ...binaries] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!project || !rounds || binaries.length === 0) {
  console.error("usage: node save-to-paint.mjs <project> <rounds> <label=pir-binary>...");
  process.exit(2);
}

/** Starts `pir serve` on a copy of the project; resolves with the process, its URL and the copy. */
async function serve(binary, port) {
  const root = mkdtempSync(join(tmpdir(), "pir-paint-"));
  cpSync(project, root, { recursive: true });
  const child = spawn(binary, ["--root", root, "serve", "--port", String(port)], { stdio: ["ignore", "pipe", "ignore"] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.on("line", (line) => {
      const match = line.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) resolve(match[0]);
    });
    child.on("exit", () => reject(new Error(`${binary} exited before serving`)));
  });
  return { child, url, root };
}

/** The median of a list of numbers. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let port = 19500;
for (const spec of binaries) {
  const [label, binary] = spec.includes("=") ? spec.split("=") : [spec, spec];
  const { child, url, root } = await serve(binary, port++);
  const page = await browser.newPage();
  await page.goto(`${url}issues/january-2021/`, { waitUntil: "load" });
  const note = join(root, "issues/january-2021/note.md");
  const original = readFileSync(note, "utf8");
  const times = [];
  for (let round = 0; round < rounds; round++) {
    const marker = `Edited in round ${round} of ${label}.`;
    // Let the page settle (a reload script connects after load) before saving.
    await page.waitForTimeout(300);
    const saved = performance.now();
    writeFileSync(note, original.replace("A short note to open the issue.", marker));
    // Wait across the reload until the new text is in the page, then for the frame that paints it.
    for (;;) {
      try {
        const shown = await page.evaluate(
          (m) => document.body && document.body.innerText.includes(m) && new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))),
          marker,
        );
        if (shown) break;
      } catch {
        // The page is navigating: ask again.
      }
      await new Promise((r) => setTimeout(r, 5));
      if (performance.now() - saved > 20000) throw new Error(`${label}: round ${round} never painted`);
    }
    times.push(performance.now() - saved);
  }
  await page.close();
  child.kill("SIGTERM");
  await new Promise((r) => child.on("exit", r));
  rmSync(root, { recursive: true, force: true });
  const fmt = (ms) => `${ms.toFixed(0)} ms`;
  console.log(`${label}: median save-to-paint ${fmt(median(times))} over ${rounds} saves (min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))})`);
}
await browser.close();
