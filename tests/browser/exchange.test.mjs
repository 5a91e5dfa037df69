// Exchanging a booking for another date on its page, in Russian and Kazakh: the link on the
// booking page, the other dates, the new date's map, a refusal re-shown, and the moved booking
// with its new tickets. Screenshots at 360 px and 1280 px go to output/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startKassa, launchBrowser, book, shoot } from "./kassa.mjs";

let kassa;
let browser;
before(async () => {
  kassa = await startKassa();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  kassa?.stop();
});

test("a holder exchanges a booking for another date on its page, in Russian and Kazakh", async () => {
  const performances = await (await fetch(`${kassa.base}/api/v1/performances`)).json();
  assert.ok(performances.length >= 2, "the demo has more than one date");
  const [first, second] = performances;
  const booking = await book(kassa.base, first.id, [31], "Ерлан");
  const oldCode = booking.tickets[0].code;

  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/bookings/${booking.reference}?token=${booking.manage_token}`);
  await page.click("text=Обменять на другую дату");
  await page.waitForURL(/\/exchange\?/);
  assert.match(await page.locator("h1").textContent(), new RegExp(`Обмен брони ${booking.reference}`));
  await page.click(`a[href*="performance=${second.id}"]`);
  await page.waitForURL(new RegExp(`performance=${second.id}`));
  assert.match(await page.locator("form.pick legend").textContent(), /столько же, сколько в брони \(1\)/);

  // Two seats for a booking of one: refused, and the map is shown again with the reason.
  await page.click('g.seat.available[data-seat-id="31"]');
  await page.click('g.seat.available[data-seat-id="32"]');
  await page.click("form.pick button[type=submit]");
  await page.waitForLoadState();
  assert.ok(await page.locator("[role=alert]").isVisible(), "the refusal is said");
  assert.ok(await page.locator("form.pick").isVisible(), "the map is there again");
  await shoot(page, "exchange-refused-ru");

  await page.click('a[hreflang="kk"]');
  await page.waitForLoadState();
  assert.match(await page.locator("h1").textContent(), /басқа күнге ауыстыру/);
  await shoot(page, "exchange-map-kk");
  await page.click('g.seat.available[data-seat-id="32"]');
  await page.click("form.pick button[type=submit]");
  await page.waitForURL(/\/bookings\/[^/]+\?token=.*exchanged=1/);
  assert.match(await page.locator(".notice").textContent(), /Брондау .* күніне ауыстырылды/);
  const code = (await page.locator(".ticket .code").first().textContent()).trim();
  assert.notEqual(code, oldCode, "a new ticket with a new code");
  await shoot(page, "exchange-done-kk");
  await page.click('a[hreflang="ru"]');
  await page.waitForLoadState();
  assert.match(await page.locator(".notice").textContent(), /Бронь перенесена на/);
  // One exchange per booking: the link is gone.
  assert.equal(await page.locator("text=Обменять на другую дату").count(), 0);
  await shoot(page, "exchange-done-ru");
  await context.close();

  // The API agrees: the booking is on the second date, seat 32.
  const moved = await (await fetch(`${kassa.base}/api/v1/bookings/${booking.reference}`, {
    headers: { "X-Manage-Token": booking.manage_token },
  })).json();
  assert.equal(moved.performance.id, second.id);
  assert.equal(moved.exchanges, 1);
  assert.equal(moved.tickets.length, 1);
});
