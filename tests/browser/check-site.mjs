// Loads every page of a built pir site in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core), served over HTTP, and fails on any console
// error, failed request, broken same-page anchor or page that scrolls sideways
// on a 390 px phone. Saves screenshots of the
// home, issue and Discord pages at phone and desktop widths.
//
// Usage: node check-site.mjs <public-dir> <screenshot-dir>

import { chromium } from "playwright-core";
import { readdirSync, statSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { serve } from "./serve.mjs";

const [publicDir, shotDir] = process.argv.slice(2);
if (!publicDir || !shotDir) {
  console.error("usage: node check-site.mjs <public-dir> <screenshot-dir>");
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });

/** Every .html file below dir. */
function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pages(path);
    // email.html is an email, not a page of the site: check-email.mjs loads it.
    return name.endsWith(".html") && name !== "404.html" && name !== "email.html" ? [path] : [];
  });
}

const { origin, close } = await serve(publicDir);
/** The address of a file below publicDir. */
const url = (file) => origin + relative(publicDir, file).split("\\").join("/");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
let loaded = 0;
for (const file of pages(publicDir)) {
  const name = relative(publicDir, file);
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`${name}: console error: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`${name}: page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`${name}: request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on("request", (req) => {
    if (!req.url().startsWith(origin)) problems.push(`${name}: external request: ${req.url()}`);
  });
  await page.goto(url(file), { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  const broken = await page.evaluate(() =>
    [...document.querySelectorAll('a[href^="#"]')]
      .map((a) => a.getAttribute("href").slice(1))
      .filter((id) => id && !document.getElementById(decodeURIComponent(id))),
  );
  for (const id of broken) problems.push(`${name}: broken anchor #${id}`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) problems.push(`${name}: scrolls sideways on a 390 px phone (${wide} px wide)`);
  const fonts = await page.evaluate(() => [...document.fonts].filter((f) => f.status === "error").map((f) => f.family));
  for (const f of fonts) problems.push(`${name}: font failed to load: ${f}`);
  await page.close();
  loaded += 1;
}

// The 404 page, as a host serves it for a missing address at any depth: styled, every request answered.
{
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const bad = [];
  page.on("response", (r) => { if (r.status() >= 400 && r.request().resourceType() !== "document") bad.push(`${r.url()} (${r.status()})`); });
  page.on("requestfailed", (req) => bad.push(req.url()));
  const res = await page.goto(origin + "no/such/deep/page.html", { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  const styled = await page.evaluate(() => document.styleSheets.length > 0 && getComputedStyle(document.body).fontFamily.includes("Charis"));
  if (res.status() !== 404) problems.push(`a missing page answered ${res.status()}, not 404`);
  if (!styled) problems.push("404.html at depth 3 is not styled");
  for (const b of bad) problems.push(`404.html at depth 3: ${b} failed`);
  await page.close();
}

const shots = [["home", "index.html"], ["issue", "issues/march-2020/index.html"], ["discord", "issues/march-2020/discord.html"]].filter(([, p]) => {
  try { return statSync(join(publicDir, p)).isFile(); } catch { return false; }
});
for (const [label, path] of shots) {
  for (const [device, width] of [["phone", 390], ["desktop", 1280]]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(url(join(publicDir, path)), { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: join(shotDir, `${label}-${device}.png`), fullPage: true });
    await page.close();
  }
}
await browser.close();
close();

if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`${problems.length} problems on ${loaded} pages`);
  process.exit(1);
}
console.log(`${loaded} pages loaded in Chromium: no console errors, failed requests, broken anchors or sideways scrolling`);
