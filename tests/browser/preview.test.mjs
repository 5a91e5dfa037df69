// A performance link as messengers and search engines read it (Open Graph tags and the
// TheaterEvent JSON-LD, checked against the API), and the Share button: the Web Share API
// where the browser has it, the link copied where it does not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withKassa, firstPerformance } from "./kassa.mjs";

const running = withKassa();

test("a performance page previews with its title, date and place, and its event agrees with the API", async () => {
  const { kassa, browser } = running;
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  const og = async (key) => page.locator(`meta[property="og:${key}"]`).getAttribute("content");
  assert.match(await og("title"), /^Здесь\.Алматы — \d+ [а-я]+ \d{4}, 19:00$/);
  assert.equal(await og("url"), `${kassa.base}/performances/${performance.id}`);
  assert.match(await og("description"), /2act studio, Алматы, зал в глубине торгового центра\. Билеты от 4\s500\s₸\./);
  assert.equal(await og("locale"), "ru_RU");
  const event = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
  assert.equal(event["@type"], "TheaterEvent");
  assert.equal(event.startDate, performance.starts_at);
  assert.equal(event.location.name, performance.venue.name);
  assert.deepEqual(
    event.offers.map((offer) => [offer.name, offer.price, offer.priceCurrency]),
    [["Первые ряды", performance.prices.front, "KZT"], ["Партер", performance.prices.standard, "KZT"]],
    "an offer per zone, by its name, at the API's price",
  );
  await context.close();
});

test("Share copies the link where the browser cannot share, and shares it where it can", async () => {
  const { kassa, browser } = running;
  const performance = await firstPerformance(kassa.base);
  const url = `${kassa.base}/performances/${performance.id}`;
  const copying = await browser.newContext({ locale: "ru-RU" });
  await copying.grantPermissions(["clipboard-read", "clipboard-write"], { origin: kassa.base });
  const page = await copying.newPage();
  await page.addInitScript(() => { delete Navigator.prototype.share; delete Navigator.prototype.canShare; });
  await page.goto(url);
  await page.click("#share");
  await page.waitForFunction(() => document.getElementById("share-status").textContent !== "");
  assert.equal(await page.locator("#share-status").textContent(), "Ссылка скопирована");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  await copying.close();

  const sharing = await browser.newContext({ locale: "kk-KZ" });
  const phone = await sharing.newPage();
  await phone.addInitScript(() => {
    window.sharedWith = [];
    Navigator.prototype.share = function (data) { window.sharedWith.push(data); return Promise.resolve(); };
    Navigator.prototype.canShare = function () { return true; };
  });
  await phone.goto(url);
  assert.equal(await phone.locator("#share").textContent(), "Бөлісу");
  await phone.click("#share");
  const shared = await phone.evaluate(() => window.sharedWith);
  assert.equal(shared.length, 1);
  assert.equal(shared[0].url, url);
  assert.match(shared[0].text, /^«Здесь\.Алматы» — билеттер$/);
  await sharing.close();
});

test("the performance page with its map, styles and scripts weighs under 60 kB on the wire", async () => {
  const { kassa, browser } = running;
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`, { waitUntil: "load" });
  const sizes = await page.evaluate(() =>
    [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map((e) => ({
      name: new URL(e.name).pathname, wire: e.transferSize, body: e.decodedBodySize,
    })));
  const wire = sizes.reduce((sum, s) => sum + s.wire, 0);
  const body = sizes.reduce((sum, s) => sum + s.body, 0);
  console.log(`# performance page: ${sizes.length} responses, ${(wire / 1000).toFixed(1)} kB on the wire (${(body / 1000).toFixed(1)} kB uncompressed): ` +
    sizes.map((s) => `${s.name} ${(s.wire / 1000).toFixed(1)}`).join(", "));
  assert.ok(sizes.some((s) => s.name.endsWith("/seat-map.js")) && sizes.some((s) => s.name.endsWith("/kassa.css")), "the map's script and the styles counted");
  assert.ok(wire > 0 && wire < 60_000, `under 60 kB compressed (${wire} bytes)`);
  assert.ok(wire < body / 2, "the responses are compressed");
  await context.close();
});
