// Zones people read: the demo's zones by their names, in Kazakh and in Russian, on the seat
// map, at checkout, on the booking page and in the confirmation mail; never their keys.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withKassa, firstPerformance, mailsOf, shoot } from "./kassa.mjs";

const running = withKassa();

for (const [lang, front, standard] of [["kk", "Алдыңғы қатарлар", "Партер"], ["ru", "Первые ряды", "Партер"]]) {
  test(`the zones read as «${front}» and «${standard}» in ${lang} from the map to the mail`, async () => {
    const { kassa, browser } = running;
    const performance = await firstPerformance(kassa.base);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${kassa.base}/lang/${lang}?back=/performances/${performance.id}`);
    const legend = await page.locator("ul.legend").textContent();
    assert.ok(legend.includes(`${front}:`) && legend.includes(`${standard}:`), legend);
    assert.ok(!/\bfront\b|\bstandard\b/.test(await page.locator("main").textContent()), "no zone key on the page");
    const seat = lang === "kk" ? "3" : "4";
    assert.match(await page.locator(`g.seat[data-seat-id="${seat}"]`).getAttribute("aria-label"), new RegExp(front));
    await page.locator(`g.seat.available[data-seat-id="${seat}"]`).tap();
    assert.match(await page.locator("#chosen-seats li").textContent(), new RegExp(` · ${front} · `));
    await page.click("form.pick button[type=submit]");
    await page.waitForURL(/\/checkout\//);
    assert.match(await page.locator("main").textContent(), new RegExp(front), "checkout");
    await shoot(page, `zones-checkout-${lang}`);
    await page.fill("input[name=name]", lang === "kk" ? "Әлия" : "Ольга");
    await page.fill("input[name=email]", `${lang}@example.kz`);
    await page.click("form button[type=submit]");
    await page.waitForURL(/\/bookings\//);
    assert.match(await page.locator(".ticket").first().textContent(), new RegExp(front), "the booking page");
    const reference = new URL(page.url()).pathname.split("/")[2];
    let mail;
    for (let i = 0; i < 100 && !mail; i++) {
      mail = (await mailsOf(kassa, "booking_confirmed")).find((text) => text.includes(reference));
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(mail, `the confirmation of ${reference}`);
    assert.match(mail, new RegExp(`, ${front}, `), "the ticket in the mail names the zone");
    await context.close();
  });
}
