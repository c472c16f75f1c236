// Save to paint under `pir serve`: the time from a writer saving a piece to
// the open page in Chromium showing the new words, as a writer sees it (the
// debounce, the rebuild, the pushed reload and the paint together).
//
// Usage: node benches/serve-paint.mjs <pir> <project> <piece.md> <page path> [runs]
// Needs playwright-core (tests/browser/node_modules) and /usr/bin/chromium.
// Prints "save-to-paint: median <ms> ms (min <ms>, max <ms>) over <runs> saves".

import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");

const [pir, project, piece, pagePath, runsArg] = process.argv.slice(2);
if (!pagePath) {
  console.error("usage: node serve-paint.mjs <pir> <project> <piece.md> <page path> [runs]");
  process.exit(2);
}
const runs = Number(runsArg || 7);

// Start the server and wait for the address it prints.
const server = spawn(pir, ["--root", project, "serve", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
const origin = await new Promise((resolve, reject) => {
  let said = "";
  const look = (chunk) => {
    said += chunk;
    const m = said.match(/https?:\/\/127\.0\.0\.1:\d+/);
    if (m) resolve(m[0]);
  };
  server.stdout.on("data", look);
  server.stderr.on("data", look);
  server.on("exit", (code) => reject(new Error(`pir serve exited (${code}): ${said}`)));
  setTimeout(() => reject(new Error(`pir serve said no address: ${said}`)), 600000);
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage();
await page.goto(origin + "/" + pagePath, { waitUntil: "load" });

const times = [];
for (let i = 0; i < runs; i++) {
  const word = `paintmark${Date.now()}x${i}`;
  // Wait for the reload that follows the save, then for a frame with the word in it.
  const reloaded = page.waitForEvent("load", { timeout: 60000 });
  const saved = performance.now();
  appendFileSync(piece, `\n\nOne more sentence, ${word}.\n`);
  await reloaded;
  await page.waitForFunction((w) => document.body && document.body.innerText.includes(w), word, { timeout: 60000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  times.push(performance.now() - saved);
  // Let the server settle before the next save (a burst of saves is debounced into one build).
  await new Promise((r) => setTimeout(r, 500));
}
await browser.close();
server.kill("SIGTERM");
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`save-to-paint: median ${median.toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}) over ${runs} saves`);
