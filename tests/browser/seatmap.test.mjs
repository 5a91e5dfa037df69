// The seat map on a phone: seats big enough for a thumb (in the demo's hall and in a 600-seat
// one), a chosen seat marked by more than colour, the summary with a remove button per seat and
// the total, what screen readers hear, and the plain form when JavaScript is off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { withKassa, firstPerformance, output } from "./kassa.mjs";

const running = withKassa();
const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: "ru-RU" };

/// The smallest tap area of the free seats on the page, in CSS px.
async function smallestSeat(page) {
  const sizes = await page.locator("g.seat.available").evaluateAll((seats) =>
    seats.map((seat) => {
      const box = seat.getBoundingClientRect();
      return Math.min(box.width, box.height);
    }));
  assert.ok(sizes.length > 0, "free seats on the map");
  return Math.min(...sizes);
}

test("on a phone two seats are tapped, listed with their total, and one is removed", async () => {
  const { kassa, browser } = running;
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);

  const smallest = await smallestSeat(page);
  assert.ok(smallest >= 32, `every seat is at least 32 × 32 px to a thumb (smallest ${smallest.toFixed(1)} px)`);
  assert.equal(await page.locator("fieldset.seat-list").isVisible(), false, "the checkbox list gives way to the map");
  assert.match(await page.locator("#chosen-seats").textContent(), /Нажмите на свободное место/);

  const first = page.locator('g.seat.available[data-seat-id="25"]');
  await first.tap();
  await page.locator('g.seat.available[data-seat-id="26"]').tap();
  assert.equal(await first.getAttribute("aria-pressed"), "true");
  assert.ok(await first.locator("path.tick").isVisible(), "a chosen seat shows a tick, not only a colour");
  assert.equal(await first.locator("text.number").isVisible(), false);
  const items = page.locator("#chosen-seats li");
  assert.equal(await items.count(), 2);
  assert.match(await items.nth(0).textContent(), /^Ряд 3, место 5 · Партер · 4\s500 ₸Убрать$/);
  assert.match(await items.nth(1).textContent(), /^Ряд 3, место 6 · /);
  const total = await page.locator("#total").textContent();
  const news = await page.locator("#seat-news").textContent();
  assert.equal(news, `Ряд 3, место 6: выбрано. Мест: 2, итого ${total} ₸`, "what a screen reader hears");
  assert.equal(await page.locator("#seat-news").getAttribute("aria-live"), "polite");
  await page.screenshot({ path: join(output, "seatmap-chosen-390.png"), fullPage: true });

  await items.nth(0).locator("button").tap();
  assert.equal(await items.count(), 1);
  assert.match(await items.nth(0).textContent(), /^Ряд 3, место 6 · /);
  assert.equal(await first.getAttribute("aria-pressed"), "false", "removed from the map too");
  const left = await page.locator("#total").textContent();
  assert.notEqual(left, total);
  assert.equal(await page.locator("#seat-news").textContent(), `Ряд 3, место 5: убрано. Мест: 1, итого ${left} ₸`);

  await page.click("form.pick button[type=submit]");
  await page.waitForURL(/\/checkout\//);
  assert.match(await page.locator("main").textContent(), /ряд 3, место 6/i, "the one seat left is held");
  await context.close();

  const laptop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ru-RU" });
  const wide = await laptop.newPage();
  await wide.goto(`${kassa.base}/performances/${performance.id}`);
  await wide.click('g.seat.available[data-seat-id="27"]');
  await wide.screenshot({ path: join(output, "seatmap-chosen-1280.png"), fullPage: true });
  await laptop.close();
});

test("without JavaScript the seats are a list of boxes to tick", async () => {
  const { kassa, browser } = running;
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  assert.ok(await page.locator("fieldset.seat-list").isVisible(), "the list is there to tick");
  assert.equal(await page.locator("#chosen-seats").isVisible(), false, "the summary needs the script");
  await page.check('input[name=seat][value="28"]');
  await page.click("form.pick button[type=submit]");
  await page.waitForURL(/\/checkout\//);
  await context.close();
});

test("a 600-seat hall scrolls sideways on a phone and keeps its seats thumb-sized", async () => {
  const { kassa, browser } = running;
  const post = async (path, token, body) => {
    const response = await fetch(`${kassa.base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    assert.equal(response.status < 300, true, `${path}: ${response.status} ${await response.clone().text()}`);
    return response.json();
  };
  const { token } = await post("/api/v1/auth/login", null, kassa.director);
  const seats = [];
  for (let row = 1; row <= 20; row++) {
    for (let number = 1; number <= 30; number++) {
      seats.push({ row, number, zone: row <= 5 ? "front" : "standard", x: number * 40 + (number > 15 ? 40 : 0), y: row * 40 });
    }
  }
  const hall = await post("/api/v1/venues", token, { name: "Большой зал", address: "Алматы", timezone: "Asia/Almaty", seats });
  const productions = await (await fetch(`${kassa.base}/api/v1/productions`)).json();
  const performance = await post("/api/v1/performances", token, {
    production_id: productions[0].id, venue_id: hall.id, starts_at: "2031-06-01T19:00",
    prices: { front: 6000, standard: 4000 }, status: "published",
  });
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  const smallest = await smallestSeat(page);
  assert.ok(smallest >= 32, `seats stay at least 32 px (smallest ${smallest.toFixed(1)} px)`);
  const frame = await page.locator("figure.hall").evaluate((f) => ({ scroll: f.scrollWidth, client: f.clientWidth }));
  assert.ok(frame.scroll > frame.client, "the map scrolls sideways inside its frame");
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(pageWidth <= 390, `the page itself does not scroll sideways (${pageWidth} px)`);
  const far = page.locator("g.seat.available").last();
  await far.scrollIntoViewIfNeeded();
  await far.tap();
  assert.equal(await page.locator("#chosen-seats li").count(), 1, "a seat at the far end is reached and tapped");
  await page.screenshot({ path: join(output, "seatmap-600-390.png"), fullPage: true });
  await context.close();
});
