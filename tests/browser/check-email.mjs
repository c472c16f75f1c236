// Loads an issue's email edition (email.html) in headless Chromium at the
// widths of a phone (375 px) and of the email column (600 px). Requests to
// the zine's own address are answered from the built public/ folder, as the
// published site would answer them; anything else fails the check. Fails on
// horizontal scrolling, a broken image, or a script; saves screenshots.
//
// Usage: node check-email.mjs <public-dir> <issue-slug> <base-url> <screenshot-dir>

import { chromium } from "playwright-core";
import { mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [publicDir, slug, baseUrl, shotDir] = process.argv.slice(2);
if (!publicDir || !slug || !baseUrl || !shotDir) {
  console.error("usage: node check-email.mjs <public-dir> <issue-slug> <base-url> <screenshot-dir>");
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });
const file = join(publicDir, "issues", slug, "email.html");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
for (const width of [375, 600]) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`${width}px: console error: ${msg.text()}`); });
  page.on("requestfailed", (req) => problems.push(`${width}px: request failed: ${req.url()}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    if (url.startsWith(baseUrl + "/")) {
      const local = join(publicDir, decodeURIComponent(new URL(url).pathname));
      if (existsSync(local)) return route.fulfill({ path: local });
    }
    problems.push(`${width}px: request outside the built site: ${url}`);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  const seen = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    scripts: document.querySelectorAll("script").length,
    broken: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
    images: document.images.length,
  }));
  if (seen.scroll > seen.inner) problems.push(`${width}px: scrolls sideways (${seen.scroll} px of content in ${seen.inner} px)`);
  if (seen.scripts > 0) problems.push(`${width}px: ${seen.scripts} script elements`);
  for (const src of seen.broken) problems.push(`${width}px: image did not load: ${src}`);
  await page.screenshot({ path: join(shotDir, `email-${width}.png`), fullPage: true });
  console.log(`${width}px: ${seen.images} images, ${seen.scroll} px wide`);
  await page.close();
}
await browser.close();
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("the email renders at 375 and 600 px without sideways scrolling");
