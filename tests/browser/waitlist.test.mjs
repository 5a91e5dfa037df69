// The waiting list in a real browser, in Russian and Kazakh: the form under a sold-out map,
// the place in line, a cancellation that offers its seats, and booking them from the link in
// the offer's mail. Screenshots at 360 px and 1280 px go to output/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withKassa, book, seatMap, shoot, mailsOf } from "./kassa.mjs";

const running = withKassa();

test("a visitor joins the waiting list of a sold-out date and books the seats offered by mail", async () => {
  const { kassa, browser } = running;
  const performances = await (await fetch(`${kassa.base}/api/v1/performances`)).json();
  const performance = performances[performances.length - 1];
  const free = (await seatMap(kassa.base, performance.id)).filter((s) => s.status === "available").map((s) => s.id);
  const bookings = [];
  for (let i = 0; i < free.length; i += 8) bookings.push(await book(kassa.base, performance.id, free.slice(i, i + 8), "Зритель"));

  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  assert.match(await page.locator("section.waitlist").textContent(), /Свободных мест нет/);
  await shoot(page, "waitlist-form-ru");

  await page.click('a[hreflang="kk"]');
  await page.waitForLoadState();
  assert.match(await page.locator("section.waitlist h2").textContent(), /Күту тізімі/);
  await page.fill("section.waitlist input[name=name]", "Әлия");
  await page.fill("section.waitlist input[name=email]", "aliya@example.kz");
  await page.selectOption("section.waitlist select[name=seats]", "2");
  await page.click("section.waitlist button[type=submit]");
  await page.waitForLoadState();
  assert.match(await page.locator("[role=alert]").textContent(), /кезектегі орныңыз: 1/);
  await shoot(page, "waitlist-joined-kk");

  // A holder of eight seats cancels: two of them are held for Әлия, the rest go back on sale.
  const cancelled = bookings[0];
  const answer = await fetch(`${kassa.base}/api/v1/bookings/${cancelled.reference}/cancel`, {
    method: "POST",
    headers: { "X-Manage-Token": cancelled.manage_token },
  });
  assert.equal(answer.status, 200);
  const held = (await seatMap(kassa.base, performance.id)).filter((s) => s.status === "held");
  assert.equal(held.length, 2, "the offer's two seats are held, not on sale");

  const [offer] = await mailsOf(kassa, "waitlist_offer");
  assert.match(offer, /Сізге орын босады|орын босады/);
  const link = /http:\/\/127\.0\.0\.1:\d+\/checkout\/\S+/.exec(offer)[0];
  await page.goto(link);
  assert.equal(await page.locator("form#checkout").count(), 1, "the link opens the checkout of the offer");
  await shoot(page, "waitlist-offer-checkout-kk");
  await page.fill("input[name=name]", "Әлия");
  await page.fill("input[name=email]", "aliya@example.kz");
  await page.click("form#checkout button[type=submit]");
  await page.waitForURL(/\/bookings\//);
  assert.equal(await page.locator(".ticket img").count(), 2, "two tickets with QR codes");
  await page.click('a[hreflang="ru"]');
  await page.waitForLoadState();
  await shoot(page, "waitlist-booked-ru");
  await context.close();

  const seats = await seatMap(kassa.base, performance.id);
  for (const seat of held) {
    assert.equal(seats.find((s) => s.id === seat.id).status, "booked");
  }
});
