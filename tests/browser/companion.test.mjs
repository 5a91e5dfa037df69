// A wheelchair space booked with its companion seat, in Russian and Kazakh: the marks and
// labels on the map, a companion seat refused on its own, and the space with the tick box
// "with the companion seat" held and booked as two seats. Screenshots at 390 and 1280 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withKassa, shoot } from "./kassa.mjs";

const running = withKassa();

test("a wheelchair space is booked with its companion seat, which is not sold on its own", async () => {
  const { kassa, browser } = running;
  // A date of the demo where row 6 seats 1 and 3 are both free (the demo has sold some).
  const performances = await (await fetch(`${kassa.base}/api/v1/performances`)).json();
  let performance, space, companion;
  for (const candidate of performances) {
    const map = (await (await fetch(`${kassa.base}/api/v1/performances/${candidate.id}/seats`)).json()).seats;
    [space, companion] = [1, 3].map((number) => map.find((s) => s.row === 6 && s.number === number));
    performance = candidate;
    if (space.status === "available" && companion.status === "available") break;
  }
  assert.equal(space.status, "available", "a date with the space free");
  assert.equal(companion.companion_of, space.id, "the demo's companion seat names its space");

  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/performances/${performance.id}`);
  const label = await page.locator(`g.seat[data-seat-id="${companion.id}"]`).getAttribute("aria-label");
  assert.match(label, /место сопровождающего/);
  assert.match(await page.locator("ul.legend").textContent(), /место сопровождающего зрителя на коляске/);

  // The companion seat alone: refused, and said why.
  await page.click(`g.seat.available[data-seat-id="${companion.id}"]`);
  await page.click("form.pick button[type=submit]");
  await page.waitForLoadState();
  assert.match(await page.locator("[role=alert]").textContent(), /вместе с местом для зрителя на коляске/);
  await shoot(page, "companion-refused-ru");

  // In Kazakh: the space, with the tick box, becomes a hold of both seats.
  await page.click('a[hreflang="kk"]');
  await page.waitForLoadState();
  await page.click(`g.seat.available[data-seat-id="${space.id}"]`);
  await page.check("input[name=with_companions]");
  await shoot(page, "companion-pick-kk");
  await page.click("form.pick button[type=submit]");
  await page.waitForURL(/\/checkout\//);
  const held = await page.locator("form#checkout li").allTextContents();
  assert.equal(held.length, 2, `two seats held: ${held}`);
  await shoot(page, "companion-checkout-kk");
  await page.fill("input[name=name]", "Айдана");
  await page.fill("input[name=email]", "aidana@example.kz");
  await page.click("form#checkout button[type=submit]");
  await page.waitForURL(/\/bookings\//);
  assert.equal(await page.locator(".ticket img").count(), 2, "two tickets");
  await shoot(page, "companion-booked-kk");
  await context.close();

  const after = (await (await fetch(`${kassa.base}/api/v1/performances/${performance.id}/seats`)).json()).seats;
  for (const id of [space.id, companion.id]) assert.equal(after.find((s) => s.id === id).status, "booked");
});
