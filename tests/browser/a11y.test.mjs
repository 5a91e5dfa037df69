// axe-core inside the pages the audience uses: no serious or critical violation on the home,
// production, performance, checkout and booking pages, in Russian and Kazakh, at 390 and
// 1280 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { withKassa, firstPerformance } from "./kassa.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const running = withKassa();

/// The serious and critical violations axe finds on the page as it is now.
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

for (const lang of ["ru", "kk"]) {
  for (const width of [390, 1280]) {
    test(`no serious accessibility problem on the audience's pages in ${lang} at ${width} px`, async () => {
      const { kassa, browser } = running;
      const performance = await firstPerformance(kassa.base);
      // axe is injected as a script of its own, which the pages' CSP rightly refuses.
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${kassa.base}/lang/${lang}?back=/`);
      const found = { home: await violations(page) };

      await page.click("section.card h2 a");
      await page.waitForURL(/\/productions\/\d+$/);
      found.production = await violations(page);

      await page.goto(`${kassa.base}/performances/${performance.id}`);
      const seat = page.locator("g.seat.available").nth(width === 390 ? 10 : 11 + (lang === "kk" ? 2 : 0));
      await seat.click();
      found.performance = await violations(page);

      await page.click("form.pick button[type=submit]");
      await page.waitForURL(/\/checkout\//);
      found.checkout = await violations(page);

      await page.fill("input[name=name]", "Әлия");
      await page.fill("input[name=email]", "aliya@example.kz");
      await page.click("form button[type=submit]");
      await page.waitForURL(/\/bookings\//);
      found.booking = await violations(page);
      await context.close();

      for (const [name, list] of Object.entries(found)) {
        assert.deepEqual(list, [], `${name} page, ${lang}, ${width} px`);
      }
    });
  }
}
