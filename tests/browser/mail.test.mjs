// The director's mail in a real browser: kassa sends by SMTP to a port where no server listens
// yet, so a confirmation is given up; the schedule warns, /director/mail lists it failed with
// its error, and Send again delivers it once a server listens. Screenshots at 360 px and
// 1280 px go to output/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { withKassa, book, firstPerformance, freePort, seatMap, shoot, signIn } from "./kassa.mjs";

// A free port with nothing on it until the test opens a tiny SMTP server there.
const smtpPort = await freePort();
const running = withKassa({
  KASSA__MAIL__TRANSPORT: "smtp",
  KASSA__MAIL__SMTP__HOST: "127.0.0.1",
  KASSA__MAIL__SMTP__PORT: String(smtpPort),
  KASSA__MAIL__SMTP__TIMEOUT_SECONDS: "2",
  KASSA__MAIL__MAX_ATTEMPTS: "1",
  KASSA__MAIL__POLL_SECONDS: "1",
});

/// Just enough SMTP for lettre: every message it is given is counted.
function smtpServer(port) {
  const received = [];
  const server = createServer((socket) => {
    let data = false;
    let buffer = "";
    socket.write("220 localhost ready\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let at;
      while ((at = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (data) {
          if (line === ".") {
            data = false;
            received.push(true);
            socket.write("250 ok\r\n");
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 localhost\r\n");
        else if (verb === "DATA") { data = true; socket.write("354 go on\r\n"); }
        else if (verb === "QUIT") { socket.end("221 bye\r\n"); }
        else socket.write("250 ok\r\n");
      }
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ server, received })));
}

async function until(check, what) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("a message that failed is listed, warned about on the schedule and sent again once", async () => {
  const { kassa, browser } = running;
  const performance = await firstPerformance(kassa.base);
  const free = (await seatMap(kassa.base, performance.id)).filter((s) => s.status === "available");
  const booking = await book(kassa.base, performance.id, [free[0].id], "Әлия");

  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.director);
  await page.waitForURL(/\/director$/);
  await until(async () => {
    await page.reload();
    return (await page.locator(".notice.warning").count()) > 0;
  }, "the warning on the schedule");
  assert.match(await page.locator(".notice.warning").textContent(), /не удалось доставить писем: 1/);
  await shoot(page, "mail-warning-ru");
  await page.click(".notice.warning a");
  await page.waitForURL(/\/director\/mail\?status=failed/);
  const row = page.locator("li.mail.failed", { hasText: booking.reference });
  assert.match(await row.textContent(), /Бронь подтверждена/);
  assert.match(await row.locator(".error").textContent(), /\S/);
  await shoot(page, "mail-failed-ru");

  const smtp = await smtpServer(smtpPort);
  await row.locator("button").click();
  await page.waitForURL(/again=/);
  assert.match(await page.locator("[role=status]").textContent(), /снова в очереди/);
  await until(() => smtp.received.length === 1, "the message at the SMTP server");
  await page.goto(`${kassa.base}/director/mail?status=sent`);
  assert.match(await page.locator("li.mail.sent", { hasText: booking.reference }).textContent(), /Попыток: 2/);
  await shoot(page, "mail-sent-again-ru");
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(smtp.received.length, 1, "delivered once");
  await page.goto(`${kassa.base}/director`);
  assert.equal(await page.locator(".notice.warning").count(), 0, "the warning is gone");
  smtp.server.close();
  await context.close();
});
