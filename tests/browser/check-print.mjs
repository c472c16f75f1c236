// Prints every page of a built pir site as Chromium does from its print
// dialog (print media, no background graphics) into <out-dir>/<page>.pdf,
// for tests/browser.rs to read back with poppler: no sheet may hold only the
// masthead.
//
// Usage: node check-print.mjs <public-dir> <out-dir>

import { chromium } from "playwright-core";
import { readdirSync, statSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { serve } from "./serve.mjs";

const [publicDir, outDir] = process.argv.slice(2);
if (!publicDir || !outDir) {
  console.error("usage: node check-print.mjs <public-dir> <out-dir>");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

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
let printed = 0;
for (const file of pages(publicDir)) {
  const name = relative(publicDir, file);
  const page = await browser.newPage();
  await page.goto(origin + name.split("\\").join("/"), { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  await page.pdf({ path: join(outDir, name.replaceAll("/", "__").replace(/\.html$/, ".pdf")), format: "Letter", printBackground: false });
  await page.close();
  printed += 1;
}
await browser.close();
close();
console.log(`${printed} pages printed`);
