// Money in a real browser, in Russian and Kazakh: a student ticket picked at checkout (the total
// follows), the booking page with what is to pay and by when, the door asking to check the
// student card, the director's figures by zone × type × channel, and the reports page with its
// chart. Screenshots at 360 px and 1280 px go to output/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startKassa, launchBrowser, firstPerformance, signIn, shoot } from "./kassa.mjs";

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

/// Switches the page's language with the switcher, staying on the page.
async function speak(page, lang) {
  await page.click(`a[hreflang="${lang}"]`);
  await page.waitForLoadState();
}

test("a student ticket at checkout, its total, and the booking's deadline, in Russian and Kazakh", async () => {
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  assert.match(await page.locator(".concessions").textContent(), /студенческий: Первые ряды 4\u00a0000\u00a0₸, Партер 3\u00a0000\u00a0₸/);
  await page.click('g.seat.available[data-seat-id="43"]');
  await page.click('g.seat.available[data-seat-id="44"]');
  await page.click("form.pick button[type=submit]");
  await page.waitForURL(/\/checkout\//);
  assert.equal(await page.locator("[data-total]").textContent(), "9\u00a0000\u00a0₸", "two full standard seats");
  await page.selectOption('select[name="type.43"]', "student");
  assert.equal(await page.locator("[data-total]").textContent(), "7\u00a0500\u00a0₸", "the total follows the type");
  assert.match(await page.locator(".hint").textContent(), /Льготный билет действует при предъявлении документа/);
  await shoot(page, "checkout-student-ru");
  await speak(page, "kk");
  assert.match(await page.locator("h1").textContent(), /Рәсімдеу/);
  assert.match(await page.locator('select[name="type.44"]').textContent(), /студенттік — 3\u00a0000\u00a0₸/);
  await shoot(page, "checkout-student-kk");
  await page.selectOption('select[name="type.43"]', "student");
  await page.fill("input[name=name]", "Дана");
  await page.fill("input[name=email]", "dana@example.kz");
  await page.click("#checkout button[type=submit]");
  await page.waitForURL(/\/bookings\//);
  const payment = await page.locator(".payment").textContent();
  assert.match(payment, /Төлеуге: 7\u00a0500\u00a0₸/);
  assert.match(payment, /18:30 дейін/, "30 minutes before 19:00");
  assert.match(await page.locator(".ticket").first().textContent(), /студенттік/);
  await shoot(page, "booking-student-kk");
  await speak(page, "ru");
  assert.match(await page.locator(".payment").textContent(), /переводом Kaspi до 18:30, иначе места будут сняты с брони/);
  assert.match(await page.locator(".ticket").first().textContent(), /студенческий, 3\u00a0000\u00a0₸/);
  await shoot(page, "booking-student-ru");
  await context.close();
});

test("the door asks to check the student card, in Russian and Kazakh", async () => {
  const performance = await firstPerformance(kassa.base);
  const post = (path, body) =>
    fetch(`${kassa.base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const hold = await (await post(`/api/v1/performances/${performance.id}/holds`, { seat_ids: [45, 46] })).json();
  const booking = await (await post("/api/v1/bookings", {
    hold_token: hold.hold_token, name: "Студенты", email: "s@example.kz", language: "ru",
    tickets: [{ seat_id: 45, type: "student" }, { seat_id: 46, type: "student" }],
  })).json();
  assert.equal(booking.total, 6000);
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.staff);
  await page.waitForURL(/\/door$/);
  await page.goto(`${kassa.base}/door/${performance.id}`);
  await page.fill("#q", booking.tickets[0].code);
  await page.click("#lookup button[type=submit]");
  await page.locator("#result.amber").waitFor();
  await page.click("#result .pay button[data-pay=kaspi]");
  await page.locator("#result.green").waitFor();
  assert.equal(await page.locator("#result .check").textContent(), "Студенческий: проверьте студенческий билет");
  assert.match(await page.locator("#result .detail").textContent(), /^ряд 5, место 5, Партер · Студенты/);
  await shoot(page, "door-student-ru");
  await page.click("#next");
  await speak(page, "kk");
  await page.fill("#q", booking.tickets[1].code);
  await page.click("#lookup button[type=submit]");
  await page.locator("#result.green").waitFor();
  assert.equal(await page.locator("#result .check").textContent(), "Студенттік: студенттік билетті тексеріңіз");
  await shoot(page, "door-student-kk");
  await context.close();
});

test("the director reads a performance's figures and the month's report, in Russian and Kazakh", async () => {
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.director);
  await page.waitForURL(/\/director$/);
  await page.goto(`${kassa.base}/director/performances/${performance.id}`);
  const lines = page.locator("table.figures", { hasText: "Канал" });
  assert.match(await lines.textContent(), /студенческий\s*онлайн/);
  assert.ok(await page.locator('a[href$="/attendees.csv"]').count(), "the attendee list is a link");
  await shoot(page, "figures-ru");
  await speak(page, "kk");
  assert.match(await page.locator("table.figures", { hasText: "Арна" }).textContent(), /студенттік\s*онлайн/);
  await shoot(page, "figures-kk");

  const month = performance.starts_at.slice(0, 7);
  await page.goto(`${kassa.base}/director/reports?month=${month}`);
  assert.match(await page.locator("h1").textContent(), /Есептер/);
  assert.equal(await page.locator("figure.chart rect.bar").count(), 31, "the day itself and 30 before");
  assert.ok(await page.locator("table.report tbody tr").count() >= 1);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click('a[href^="/director/reports/sales.csv"]'),
  ]);
  assert.match(download.suggestedFilename(), /^sales-.*\.csv$/);
  await shoot(page, "reports-kk");
  await speak(page, "ru");
  assert.match(await page.locator("h1").textContent(), /Отчёты/);
  assert.match(await page.locator("#chart-title").textContent(), /Продано билетов по дням до спектакля/);
  await shoot(page, "reports-ru");
  await context.close();
});
