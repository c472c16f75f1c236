// Measures what a first visit costs: serves a built pir site over HTTP from
// this process, loads pages in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) with the cache disabled, and adds up the bytes of
// every response. Also measures where a phone (390 x 844) first shows the
// story: the top of the first paragraph of the first piece's body.
//
// Usage: node check-weight.mjs <public-dir> [<page>=<max KB> ...]
// Prints one line per page, "weight <page> <KB> KB, first paragraph at y=<px>",
// and exits 1 when a page weighs more than its limit.

import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const [publicDir, ...limits] = process.argv.slice(2);
if (!publicDir) {
  console.error("usage: node check-weight.mjs <public-dir> [<page>=<max KB> ...]");
  process.exit(2);
}
const { origin, close } = await serve(publicDir);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
for (const spec of limits.length ? limits : ["index.html=0"]) {
  const [path, max] = spec.split("=");
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  let bytes = 0;
  const files = [];
  cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${path}: ${r.url()} answered ${r.status()}`); files.push(r.url().slice(origin.length)); });
  await page.goto(origin + path, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState("networkidle");
  const y = await page.evaluate(() => {
    const p = document.querySelector("article .body > p") || document.querySelector("main p");
    return p ? Math.round(p.getBoundingClientRect().top + window.scrollY) : -1;
  });
  const kb = Math.round(bytes / 1024);
  console.log(`weight ${path} ${kb} KB in ${files.length} files, first paragraph at y=${y}`);
  if (process.env.WEIGHT_VERBOSE) console.log(files.join("\n"));
  if (Number(max) > 0 && kb > Number(max)) problems.push(`${path} weighs ${kb} KB on a first visit, more than ${max} KB`);
  await context.close();
}
await browser.close();
close();
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
