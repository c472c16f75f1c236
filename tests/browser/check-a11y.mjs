// Runs axe-core on every page of a built pir site in headless Chromium, at a
// phone's width (390 px) and a desktop's (1280 px), in light and dark mode
// (prefers-color-scheme emulated), and fails on any violation.
//
// Usage: node check-a11y.mjs <public-dir>
// Prints "<n> pages x 4 views: 0 axe-core violations" when all is well.

import { chromium } from "playwright-core";
import { readdirSync, statSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";
import { serve } from "./serve.mjs";

const [publicDir] = process.argv.slice(2);
if (!publicDir) {
  console.error("usage: node check-a11y.mjs <public-dir>");
  process.exit(2);
}
const axe = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Every page of the site below dir (not the email edition, which is an email). */
function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pages(path);
    return name.endsWith(".html") && name !== "email.html" ? [path] : [];
  });
}

const { origin, close } = await serve(publicDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
const files = pages(publicDir);
for (const width of [390, 1280]) {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
    for (const file of files) {
      const path = relative(publicDir, file).split("\\").join("/");
      const page = await context.newPage();
      await page.goto(origin + path, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready);
      await page.addScriptTag({ content: axe });
      const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) =>
        `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ""}`));
      for (const v of violations) problems.push(`${path} at ${width} px, ${colorScheme}: ${v}`);
      await page.close();
    }
    await context.close();
  }
}
await browser.close();
close();
if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`${problems.length} axe-core violations`);
  process.exit(1);
}
console.log(`${files.length} pages x 4 views (390 and 1280 px, light and dark): 0 axe-core violations`);
