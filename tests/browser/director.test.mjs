// The director in a real browser: signs in, schedules a performance with the form, publishes
// it, finds it on the public home page, and is refused a clashing one with a clear message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startKassa, launchBrowser, output, firstPerformance } from "./kassa.mjs";

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

test("the director schedules and publishes a performance, and a clash is refused", async () => {
  assert.ok(kassa.director, "the demo printed the director's sign-in");
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/director`);
  await page.waitForURL(/\/signin/);
  await page.fill("input[name=email]", kassa.director.email);
  await page.fill("input[name=password]", "not the password");
  await page.click("form button[type=submit]");
  assert.match(await page.locator("[role=alert]").textContent(), /Неверная почта или пароль/);
  await page.fill("input[name=password]", kassa.director.password);
  await page.click("form button[type=submit]");
  await page.waitForURL(/\/director$/);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "kassa_session");
  assert.ok(session.httpOnly, "the session cookie is HttpOnly");
  assert.equal(session.sameSite, "Lax");

  await page.fill("input[name=starts_at]", "2031-05-10T19:00");
  await page.fill('input[name="price.front"]', "7000");
  await page.fill('input[name="price.standard"]', "5000");
  await page.click("form.schedule button[type=submit]");
  await page.waitForURL(/\/director$/);
  const row = page.locator("li.date", { hasText: "10 мая 2031, 19:00" });
  assert.match(await row.textContent(), /черновик/);
  for (const [label, width] of [["phone", 390], ["laptop", 1280]]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(output, `director-${label}.png`), fullPage: true });
  }
  await row.locator("button", { hasText: "Открыть продажу" }).click();
  await page.waitForURL(/\/director$/);
  assert.match(await page.locator("li.date", { hasText: "10 мая 2031, 19:00" }).textContent(), /в продаже/);

  const visitor = await browser.newContext({ locale: "ru-RU" });
  const home = await visitor.newPage();
  await home.goto(`${kassa.base}/`);
  assert.ok(await home.locator("text=10 мая 2031, 19:00").count(), "the published performance is on the home page");
  await visitor.close();

  await page.fill("input[name=starts_at]", "2031-05-10T20:30");
  await page.fill('input[name="price.front"]', "7000");
  await page.fill('input[name="price.standard"]', "5000");
  await page.click("form.schedule button[type=submit]");
  const refusal = await page.locator("[role=alert]").textContent();
  assert.match(refusal, /Зал занят/);
  assert.match(refusal, /10 мая 2031, 19:00/, "the message names the clashing performance");
  assert.equal(await page.locator("li.date", { hasText: "10 мая 2031, 20:30" }).count(), 0, "nothing was added");
  await context.close();
});

test("the director's calendar, productions and a previewed seat plan", async () => {
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/signin`);
  await page.fill("input[name=email]", kassa.director.email);
  await page.fill("input[name=password]", kassa.director.password);
  await page.click("form button[type=submit]");
  await page.waitForURL(/\/director$/);
  const shoot = async (name) => {
    for (const [label, width] of [["phone", 390], ["laptop", 1280]]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(output, `${name}-${label}.png`), fullPage: true });
    }
  };

  await page.click('nav.director-nav a[href="/director/calendar"]');
  await page.waitForURL(/\/director\/calendar/);
  assert.ok(await page.locator("table.calendar td[data-date]").count() >= 28, "a month of days");
  await shoot("director-calendar");
  // On a phone the month is a list of its busy days, each title on a line of its own width.
  const first = await firstPerformance(kassa.base);
  await page.goto(`${kassa.base}/director/calendar?month=${first.starts_at.slice(0, 7)}`);
  await page.setViewportSize({ width: 390, height: 900 });
  const show = page.locator(".calendar a.show").first();
  const box = await show.boundingBox();
  assert.ok(box.width >= 300, `the performance is as wide as the phone (${box.width} px)`);
  assert.ok(box.height <= 48, `"19:00 Здесь.Алматы" on one line, not broken letter by letter (${box.height} px)`);
  await page.screenshot({ path: join(output, "director-calendar-390.png"), fullPage: true });

  await page.click('nav.director-nav a[href="/director/productions"]');
  assert.match(await page.locator("ul.dates").textContent(), /Здесь\.Алматы/);
  await shoot("director-productions");

  await page.click('nav.director-nav a[href="/director/venues"]');
  await page.fill("input[name=name]", "Малый зал");
  await page.fill("input[name=address]", "Алматы");
  const seats = [];
  for (let row = 1; row <= 3; row++) {
    for (let number = 1; number <= 8; number++) {
      seats.push({ row, number, zone: row === 1 ? "front" : "standard", x: number * 40, y: row * 40, accessible: row === 3 && number === 1 });
    }
  }
  await page.fill("textarea[name=plan]", JSON.stringify(seats));
  await page.click("button[value=preview]");
  assert.equal(await page.locator("section.preview g.seat").count(), 24, "the preview draws every seat");
  await shoot("director-venue-preview");
  await page.click("button[value=save]");
  await page.waitForURL(/\/director\/venues\/\d+$/);
  assert.equal(await page.locator("g.seat").count(), 24);
  await context.close();
});

test("the director keeps house seats off sale by picking them on the seat map", async () => {
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 390, height: 844 }, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/signin`);
  await page.fill("input[name=email]", kassa.director.email);
  await page.fill("input[name=password]", kassa.director.password);
  await page.click("form button[type=submit]");
  await page.waitForURL(/\/director$/);
  await page.goto(`${kassa.base}/director/performances/${performance.id}`);
  assert.equal(await page.locator("select[name=seat]").count(), 0, "no long multi-select");
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(pageWidth <= 390, `the page does not scroll sideways at 390 px (${pageWidth} px)`);
  assert.equal(await page.locator("form.house-seats fieldset.seat-list").isVisible(), false, "the map, not a list");
  await page.locator('g.seat.available[data-seat-id="45"]').tap();
  await page.locator('g.seat.available[data-seat-id="46"]').tap();
  const items = page.locator("#chosen-seats li");
  assert.equal(await items.count(), 2);
  assert.match(await items.nth(0).textContent(), /^Ряд 5, место 5 · ПартерУбрать$/, "no price for house seats");
  assert.equal(await page.locator("#seat-news").textContent(), "Ряд 5, место 6: выбрано. Мест: 2");
  await page.fill("form.house-seats input[name=reason]", "для прессы");
  await Promise.all([page.waitForNavigation(), page.click("form.house-seats button[type=submit]")]);
  await page.screenshot({ path: join(output, "director-house-seats-390.png"), fullPage: true });
  assert.equal(
    await page.locator("p.notice.done").textContent(),
    "2 места сняты с продажи: ряд 5, место 5, ряд 5, место 6.",
    "the page says what was done",
  );
  assert.equal(await page.locator('g.seat[data-seat-id="45"]').getAttribute("data-status"), "blocked");
  await page.reload();
  assert.equal(await page.locator("p.notice.done").count(), 0, "said once");
  await context.close();
});
