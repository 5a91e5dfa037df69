// The door in a real browser: staff types a code (admitted, then already admitted), admits a
// ticket with the network gone and sees it reach the server once the network is back, and
// sells a seat at the door that the public map then shows as booked.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { chromium } from "playwright-core";
import { startKassa, launchBrowser, firstPerformance, seatMap, book, bookPaid, signIn, shoot as shootAt } from "./kassa.mjs";

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

/// Screenshots at both widths, then back to the phone the door is.
async function shoot(page, name) {
  await shootAt(page, name, 800);
  await page.setViewportSize({ width: 360, height: 800 });
}

/// The door data as the server has it now, read with the staff member's API token.
async function serverDoor(performanceId) {
  const login = await fetch(`${kassa.base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(kassa.staff),
  });
  const { token } = await login.json();
  const door = await fetch(`${kassa.base}/api/v1/performances/${performanceId}/door`, { headers: { authorization: `Bearer ${token}` } });
  return door.json();
}

async function typeCode(page, code) {
  await page.fill("#q", code);
  await page.click("#lookup button[type=submit]");
  await page.locator("#result").waitFor({ state: "visible" });
  return {
    colour: (await page.locator("#result").getAttribute("class")).replace("result ", ""),
    verdict: await page.locator("#result .verdict").textContent(),
    detail: await page.locator("#result .detail").textContent(),
  };
}

test("staff admits a typed code once, and the second time it is already admitted", async () => {
  assert.ok(kassa.staff, "the demo printed the staff sign-in");
  const performance = await firstPerformance(kassa.base);
  const booking = await book(kassa.base, performance.id, [11], "Айгерим");
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.staff);
  await page.waitForURL(/\/door$/);
  await page.goto(`${kassa.base}/door/${performance.id}`);
  await shoot(page, "door");

  // Booked online, paid at the door: the door asks for the money first.
  const asked = await typeCode(page, booking.tickets[0].code.toLowerCase());
  assert.equal(asked.colour, "amber");
  assert.match(asked.verdict, /^Нужно оплатить [\d\s]+₸$/);
  assert.equal(asked.verdict.replace(/\D/g, ""), String(booking.total), "the booking's total");
  assert.match(asked.detail, new RegExp(`Айгерим, бронь ${booking.reference}: ряд 2, место 1`));
  await shoot(page, "door-payment-due");
  assert.equal(await page.locator("#count-admitted").textContent(), "0", "not admitted before paying");
  await page.click("#result .pay button[data-pay=cash]");
  await page.locator("#result.green").waitFor();
  const first = {
    verdict: await page.locator("#result .verdict").textContent(),
    detail: await page.locator("#result .detail").textContent(),
  };
  assert.match(first.verdict, /^Оплачено [\d\s]+₸ \(Наличные\)\. Проходите$/);
  assert.match(first.detail, /ряд 2, место 1, Первые ряды · Айгерим/, "the seat with its zone's name");
  await shoot(page, "door-admitted");
  await page.click("#next");
  assert.equal(await page.locator("#count-admitted").textContent(), "1");

  const second = await typeCode(page, booking.tickets[0].code);
  assert.equal(second.colour, "red");
  assert.equal(second.verdict, "Уже прошёл");
  assert.match(second.detail, /отметил door@2act\.example/);
  await shoot(page, "door-refused");
  await page.click("#next");

  await page.fill("#q", "айгер");
  await page.click("#lookup button[type=submit]");
  const match = page.locator("#matches li", { hasText: "Айгерим" });
  await match.waitFor();
  assert.match(await match.textContent(), /ряд 2, место 1, Первые ряды · Айгерим · \w+ · в зале/, "found by part of the name, shown inside");
  assert.equal(await match.locator("button").count(), 0, "no check-in offered for someone already inside");
  await context.close();
});

test("with the network gone a ticket is admitted from the saved list and uploaded when it returns", async () => {
  const performance = await firstPerformance(kassa.base);
  const booking = await book(kassa.base, performance.id, [12], "Ержан");
  const code = booking.tickets[0].code;
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.staff, `/door/${performance.id}`);
  await page.waitForURL(new RegExp(`/door/${performance.id}$`));

  await context.setOffline(true);
  const asked = await typeCode(page, code);
  assert.equal(asked.colour, "amber", "the kept list knows the booking owes money");
  assert.match(asked.verdict, /^Нужно оплатить [\d\s]+₸$/);
  await page.click("#result .pay button[data-pay=kaspi]");
  await page.locator("#result.green").waitFor();
  assert.match(await page.locator("#result .detail").textContent(), /Ержан/, "admitted from the list kept in the browser");
  await page.click("#next");
  assert.match(await page.locator("#offline").textContent(), /Нет сети.*Ждут загрузки: 1/);
  await shoot(page, "door-offline");
  const again = await typeCode(page, code);
  assert.equal(again.colour, "red", "this phone refuses it a second time, still offline");
  await page.click("#next");
  const before = await serverDoor(performance.id);
  assert.equal(before.tickets.find((t) => t.name === "Ержан").inside, false, "the server does not know yet");

  await context.setOffline(false);
  await page.locator("#offline").waitFor({ state: "hidden", timeout: 10000 });
  const after = await serverDoor(performance.id);
  const ticket = after.tickets.find((t) => t.name === "Ержан");
  assert.equal(ticket.inside, true, "the queued check-in reached the server");
  assert.equal(ticket.last_checkin.by, "door@2act.example");
  assert.equal(ticket.amount_due, 0, "with its payment");
  assert.equal(ticket.payment, "paid");
  await context.close();
});

test("a door page reloaded without the network still opens and admits from the kept list", async () => {
  const performance = await firstPerformance(kassa.base);
  const first = await bookPaid(kassa, performance.id, [16], "Тимур");
  const second = await bookPaid(kassa, performance.id, [17], "Сауле");
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.staff, `/door/${performance.id}`);
  await page.waitForURL(new RegExp(`/door/${performance.id}$`));
  // The service worker takes over the open page and keeps it.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10000 });
  assert.equal((await typeCode(page, first.tickets[0].code)).colour, "green", "online");
  await page.click("#next");

  await context.setOffline(true);
  await page.reload();
  assert.match(await page.locator(".door-title").textContent(), /Здесь\.Алматы/, "the page opened from the kept copy");
  const again = await typeCode(page, first.tickets[0].code);
  assert.equal(again.colour, "red", "the kept list knows who came in before the reload");
  await page.click("#next");
  const offline = await typeCode(page, second.tickets[0].code);
  assert.equal(offline.colour, "green");
  await page.click("#next");
  await context.setOffline(false);
  await page.locator("#offline").waitFor({ state: "hidden", timeout: 10000 });
  const door = await serverDoor(performance.id);
  assert.equal(door.tickets.find((t) => t.name === "Сауле").inside, true, "uploaded once the network was back");
  await context.close();
});

test("a check-in uploaded after another door admitted the ticket is shown as a conflict", async () => {
  const performance = await firstPerformance(kassa.base);
  const booking = await bookPaid(kassa, performance.id, [13], "Дана");
  const code = booking.tickets[0].code;
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.staff, `/door/${performance.id}`);
  await page.waitForURL(new RegExp(`/door/${performance.id}$`));
  await context.setOffline(true);
  assert.equal((await typeCode(page, code)).colour, "green");
  await page.click("#next");

  // Meanwhile the other door, online, admits the same ticket.
  const login = await (await fetch(`${kassa.base}/api/v1/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(kassa.director),
  })).json();
  const other = await fetch(`${kassa.base}/api/v1/checkins`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${login.token}` },
    body: JSON.stringify({ code, performance_id: performance.id, direction: "in" }),
  });
  assert.equal(other.status, 200);

  await context.setOffline(false);
  await page.locator("#conflicts").waitFor({ state: "visible", timeout: 10000 });
  assert.match(await page.locator("#conflicts li").first().textContent(), /Дана.*Уже прошёл.*director@2act\.example/);
  await context.close();
});

test("a walk-up sale of one seat takes three taps and makes the seat booked on the public map", async () => {
  const performance = await firstPerformance(kassa.base);
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.staff, `/door/${performance.id}`);
  await page.waitForURL(new RegExp(`/door/${performance.id}$`));
  await page.click(`a[href="/door/${performance.id}/sell"]`);
  await page.waitForURL(/\/sell$/);
  await page.click('g.seat.available[data-seat-id="14"]');
  await page.click("form.walk-up input[value=card]");
  await shoot(page, "door-sell");
  await page.click("form.walk-up button[type=submit]");
  await page.waitForURL(/\/sold\//);
  assert.equal(await page.locator(".ticket img").count(), 1, "the ticket's QR code, to scan at once");
  await shoot(page, "door-sold");
  const seats = await seatMap(kassa.base, performance.id);
  assert.equal(seats.find((s) => s.id === 14).status, "booked");
  await context.close();
});

/// A video file for Chromium's fake camera: the ticket's QR code (as kassa draws it on the
/// booking page) on white, in the raw YUV4MPEG2 format Chromium reads.
async function qrVideo(page, manageUrl) {
  await page.goto(manageUrl);
  const [width, height] = [320, 240];
  const luma = await page.evaluate(([width, height]) => {
    const img = document.querySelector(".ticket img");
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, width, height);
    context.drawImage(img, (width - 200) / 2, (height - 200) / 2, 200, 200);
    const rgba = context.getImageData(0, 0, width, height).data;
    const y = [];
    for (let i = 0; i < rgba.length; i += 4) y.push(Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]));
    return y;
  }, [width, height]);
  const frame = Buffer.concat([
    Buffer.from("FRAME\n"),
    Buffer.from(luma),
    Buffer.alloc((width / 2) * (height / 2) * 2, 128),
  ]);
  const file = join(mkdtempSync(join(tmpdir(), "kassa-camera-")), "qr.y4m");
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), ...Array(10).fill(frame)]));
  return file;
}

test("the camera reads a ticket's QR code and the ticket is admitted", async () => {
  const performance = await firstPerformance(kassa.base);
  const booking = await bookPaid(kassa, performance.id, [15], "Камила");
  const plain = await browser.newContext();
  const video = await qrVideo(await plain.newPage(), booking.manage_url);
  await plain.close();

  const withCamera = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
  });
  try {
    const context = await withCamera.newContext({ locale: "ru-RU", viewport: { width: 360, height: 800 }, permissions: ["camera"] });
    const page = await context.newPage();
    await signIn(page, kassa.base, kassa.staff, `/door/${performance.id}`);
    await page.waitForURL(new RegExp(`/door/${performance.id}$`));
    const inside = Number(await page.locator("#count-inside").textContent());
    await page.click("#camera-toggle");
    await page.locator("#result").waitFor({ state: "visible", timeout: 15000 });
    assert.equal(await page.locator("#result .verdict").textContent(), "Проходите");
    assert.match(await page.locator("#result .detail").textContent(), /Камила/);
    const reader = await page.locator("#camera").getAttribute("data-reader");
    assert.ok(["jsqr", "barcode-detector"].includes(reader), `read by ${reader}`);
    console.log(`# the camera's QR code was read by ${reader}`);
    await page.click("#next");
    assert.equal(await page.locator("#count-inside").textContent(), String(inside + 1));
    await page.click("#camera-toggle"); // off: the code is still in front of it
    await page.click("#undo");
    await page.locator("#result").waitFor({ state: "visible" });
    assert.equal(await page.locator("#result .verdict").textContent(), "Отметка снята");
    assert.match(await page.locator("#result").getAttribute("class"), /neutral/, "not the amber of a problem ticket");
    await page.click("#next");
    await page.waitForFunction((n) => document.getElementById("count-inside").textContent === String(n), inside);
    await context.close();
  } finally {
    await withCamera.close();
  }
});

test("the cash-up at the end of the door adds up what the door took, in Kazakh too", async () => {
  const performance = await firstPerformance(kassa.base);
  for (const [locale, heading, net] of [["ru-RU", "Касса спектакля", "Итого"], ["kk-KZ", "Қойылым кассасы", "Барлығы"]]) {
    const context = await browser.newContext({ locale, viewport: { width: 360, height: 800 } });
    const page = await context.newPage();
    await signIn(page, kassa.base, kassa.staff, `/door/${performance.id}`);
    await page.waitForURL(new RegExp(`/door/${performance.id}$`));
    await page.click(`a[href="/door/${performance.id}/cashup"]`);
    await page.waitForURL(/\/cashup$/);
    assert.equal(await page.locator("h1").textContent(), heading);
    assert.ok((await page.locator("th", { hasText: net }).count()) > 0, `the net column in ${locale}`);
    const login = await (await fetch(`${kassa.base}/api/v1/auth/login`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(kassa.staff),
    })).json();
    const cashup = await (await fetch(`${kassa.base}/api/v1/performances/${performance.id}/cashup`, { headers: { authorization: `Bearer ${login.token}` } })).json();
    const shown = (await page.locator("#money-net").textContent()).replace(/\D/g, "");
    assert.equal(shown, String(cashup.totals.net), "the page shows the API's net, to the tenge");
    assert.ok(cashup.totals.taken > 0, "the door took money in the tests above");
    await shoot(page, `door-cashup-${locale.slice(0, 2)}`);
    await context.close();
  }
});
