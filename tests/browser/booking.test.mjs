// The audience in a real browser: book on the seat map, see held seats, read Kazakh, and the
// CSRF check. Screenshots of the main pages at phone and laptop width go to output/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startKassa, launchBrowser, book, firstPerformance, seatMap, shoot } from "./kassa.mjs";

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

test("a buyer picks two seats on the map, books them, and others then see them booked", async () => {
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${kassa.base}/`);
  await shoot(page, "home");
  await page.click(`a[href="/performances/${performance.id}"]`);
  await shoot(page, "performance");
  await page.click('g.seat.available[data-seat-id="23"]');
  await page.click('g.seat.available[data-seat-id="24"]');
  assert.equal(await page.locator("g.seat.chosen").count(), 2);
  assert.equal(await page.locator("#total").textContent(), "9\u00a0000");
  await page.click("form.pick button[type=submit]");
  await page.waitForURL(/\/checkout\//);
  assert.match(await page.locator("#countdown [data-left]").textContent(), /^(10:00|9:5\d)$/, "the hold's countdown runs");
  await shoot(page, "checkout");
  await page.fill("input[name=name]", "Айгерим");
  await page.fill("input[name=email]", "aigerim@example.kz");
  await page.click("form button[type=submit]");
  await page.waitForURL(/\/bookings\//);
  await shoot(page, "booking");
  assert.equal(await page.locator(".ticket img").count(), 2, "two QR codes");
  await context.close();

  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(`${kassa.base}/performances/${performance.id}`);
  assert.equal(await second.locator('g.seat[data-seat-id="23"]').getAttribute("data-status"), "booked");
  assert.equal(await second.locator('g.seat[data-seat-id="24"]').getAttribute("data-status"), "booked");
  await other.close();
});

test("a seat held by another buyer cannot be picked", async () => {
  const performance = await firstPerformance(kassa.base);
  const held = await fetch(`${kassa.base}/api/v1/performances/${performance.id}/holds`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ seat_ids: [21] }),
  });
  assert.equal(held.status, 201);
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  const seat = page.locator('g.seat[data-seat-id="21"]');
  assert.equal(await seat.getAttribute("data-status"), "held");
  await seat.click({ force: true });
  assert.equal(await page.locator("g.seat.chosen").count(), 0, "clicking a held seat picks nothing");
  assert.equal(await page.locator('input[name=seat][value="21"]').count(), 0, "and the form does not offer it");
  assert.match(await seat.getAttribute("aria-label"), /может освободиться/);
  await context.close();
});

test("switching to Kazakh shows Kazakh on the home and checkout pages", async () => {
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${kassa.base}/`);
  await page.click('a[hreflang="kk"]');
  assert.match(await page.locator("h1").textContent(), /Жақын арадағы қойылымдар/);
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  await page.click('g.seat.available[data-seat-id="31"]');
  await page.click("form.pick button[type=submit]");
  await page.waitForURL(/\/checkout\//);
  assert.match(await page.locator("h1").textContent(), /Рәсімдеу/);
  assert.match(await page.locator("form button").textContent(), /Брондауды растау/);
  await context.close();
});

test("a form posted without its CSRF token is refused", async () => {
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  await page.click('g.seat.available[data-seat-id="41"]');
  await page.evaluate(() => document.querySelector("form.pick input[name=csrf]").remove());
  const [response] = await Promise.all([page.waitForNavigation(), page.click("form.pick button[type=submit]")]);
  assert.equal(response.status(), 403);
  const seats = await seatMap(kassa.base, performance.id);
  assert.equal(seats.find((s) => s.id === 41).status, "available", "nothing was held");
  await context.close();
});

test("the seat map works from the keyboard and tells screen readers each seat", async () => {
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  const seat = page.locator('g.seat.available[data-seat-id="35"]');
  assert.equal(await seat.getAttribute("tabindex"), "0", "a free seat takes the focus");
  assert.match(await seat.getAttribute("aria-label"), /^Ряд 4, место 5, Партер, 4\u00a0500\u00a0₸: свободно$/);
  await seat.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("g.seat.chosen").count(), 1, "Enter picks the focused seat");
  assert.equal(await page.locator('input[name=seat][value="35"]').isChecked(), true);
  await page.keyboard.press(" ");
  assert.equal(await page.locator("g.seat.chosen").count(), 0, "Space puts it back");
  await context.close();
});

test("cancelling a booking asks first, and keeping it changes nothing", async () => {
  const performance = await firstPerformance(kassa.base);
  const free = (await seatMap(kassa.base, performance.id)).filter((s) => s.status === "available");
  const booking = await book(kassa.base, performance.id, [free[0].id, free[1].id], "Дана");
  const context = await browser.newContext({ locale: "ru-RU", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(booking.manage_url);
  await page.click("text=Отменить бронь");
  const question = page.locator("section.confirm");
  assert.match(await question.textContent(), /Отменить эту бронь\?[\s\S]*Билеты \(2\) перестанут действовать/);
  await shoot(page, "booking-cancel-question");
  await page.click("text=Нет, оставить");
  assert.equal(await page.locator("section.confirm").count(), 0);
  assert.equal(await page.locator("img[alt]").count(), 2, "the tickets are still there");
  const stillTaken = (await seatMap(kassa.base, performance.id)).filter((s) => s.id === free[0].id);
  assert.equal(stillTaken[0].status, "booked");

  await page.click("text=Отменить бронь");
  await page.click("text=Да, отменить бронь");
  assert.match(await page.locator(".notice").first().textContent(), /Бронь отменена/);
  const freed = (await seatMap(kassa.base, performance.id)).filter((s) => s.id === free[0].id);
  assert.equal(freed[0].status, "available");
  await context.close();
});
