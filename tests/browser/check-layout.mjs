// Reads every page of a built pir site as a phone reader does (390 x 844), at
// the browser's default text size and with a 32 px default font (the
// reader's own setting, through Chromium's font preferences), and reports:
// - pages that scroll sideways at either size;
// - the timeline chart's smallest computed font size at each size (it must
//   not fall under 12 px, and must grow with the reader's setting);
// - where the story starts: the top of the first paragraph of the first
//   piece's body, in CSS px from the top of the page.
//
// Usage: node check-layout.mjs <public-dir>
// Prints "chart <page> <min px> -> <min px at 32>" and "story <page> y=<px>";
// exits 1 on a problem.

import { chromium } from "playwright-core";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { serve } from "./serve.mjs";

const [publicDir] = process.argv.slice(2);
if (!publicDir) {
  console.error("usage: node check-layout.mjs <public-dir>");
  process.exit(2);
}

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
let checked = 0;

/** Loads a page at 390 x 844 with the given default font size; returns what it measured. */
async function measure(path, fontSize) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  if (fontSize) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Page.enable");
    await cdp.send("Page.setFontSizes", { fontSizes: { standard: fontSize, fixed: fontSize } });
  }
  await page.goto(origin + path, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  const m = await page.evaluate(() => {
    const texts = [...document.querySelectorAll(".chart *")]
      .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
      .map((el) => parseFloat(getComputedStyle(el).fontSize));
    const p = document.querySelector("article .body > p");
    const wide = [...document.querySelectorAll("main *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .filter((el) => !el.closest(".table-scroll, pre"))
      .slice(0, 3)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">`);
    return {
      root: parseFloat(getComputedStyle(document.documentElement).fontSize),
      scroll: document.documentElement.scrollWidth,
      chart: texts.length ? Math.min(...texts) : null,
      story: p ? Math.round(p.getBoundingClientRect().top + window.scrollY) : null,
      wide,
    };
  });
  await context.close();
  return m;
}

for (const file of pages(publicDir)) {
  const path = relative(publicDir, file).split("\\").join("/");
  const normal = await measure(path, 0);
  const large = await measure(path, 32);
  if (large.root <= normal.root) problems.push(`${path}: the 32 px default font did not apply (${normal.root} -> ${large.root} px)`);
  for (const [m, label] of [[normal, "default text"], [large, "a 32 px default font"]]) {
    if (m.scroll > 390) problems.push(`${path}: scrolls sideways at 390 px with ${label} (${m.scroll} px wide; ${m.wide.join(", ")})`);
  }
  if (normal.chart !== null) {
    console.log(`chart ${path} ${normal.chart} px -> ${large.chart} px`);
    if (normal.chart < 12) problems.push(`${path}: chart text at ${normal.chart} px on a 390 px phone`);
    if (!(large.chart > normal.chart)) problems.push(`${path}: chart text does not grow with the reader's font size (${normal.chart} -> ${large.chart} px)`);
  }
  if (normal.story !== null) console.log(`story ${path} y=${normal.story}`);
  checked += 1;
}
await browser.close();
close();
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`${checked} pages read at 390 px with default and 32 px text: none scrolls sideways`);
