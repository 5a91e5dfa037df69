// Starts a real kassa (the binary cargo built) on a fresh SQLite file with the demo, on a free
// loopback port, and opens Debian's Chromium through Playwright. Only 127.0.0.1 is ever
// contacted.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
export const output = join(here, "output");
mkdirSync(output, { recursive: true });

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export { freePort };
export async function startKassa(extraEnv = {}) {
  const binary = process.env.KASSA_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "debug", "kassa");
  const dir = mkdtempSync(join(tmpdir(), "kassa-browser-"));
  const port = await freePort();
  const child = spawn(binary, ["serve"], {
    env: {
      ...process.env,
      KASSA_CONFIG_DIR: join(root, "config"),
      KASSA__DATABASE__URL: `sqlite://${join(dir, "kassa.db")}`,
      KASSA__SERVER__PORT: String(port),
      KASSA__SERVER__PUBLIC_URL: `http://127.0.0.1:${port}`,
      KASSA__MAIL__OUTBOX_DIR: join(dir, "outbox"),
      KASSA__POSTERS__DIR: join(dir, "posters"),
      KASSA__LOG__FILTER: "warn",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  const director = /director: (\S+) \/ (\S+)/.exec(stdout);
  const staff = /staff: +(\S+) \/ (\S+)/.exec(stdout);
  return {
    base,
    director: director && { email: director[1], password: director[2] },
    staff: staff && { email: staff[1], password: staff[2] },
    outbox: join(dir, "outbox"),
    stop: () => child.kill("SIGTERM"),
  };
}

/// Starts kassa (with `extraEnv` added to its environment) and the browser before the file's
/// tests and stops both after them; the returned object holds them (`kassa`, `browser`) once
/// the tests run.
export function withKassa(extraEnv = {}) {
  const running = {};
  before(async () => {
    running.kassa = await startKassa(extraEnv);
    running.browser = await launchBrowser();
  });
  after(async () => {
    await running.browser?.close();
    running.kassa?.stop();
  });
  return running;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/// The first upcoming performance of the demo.
/// Screenshots of the page as it is, at 390 px (a phone) and 1280 px (a laptop), into output/.
export async function shoot(page, name, height = 900) {
  for (const [label, width] of [["phone", 390], ["laptop", 1280]]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(output, `${name}-${label}.png`), fullPage: true });
  }
}

export async function firstPerformance(base) {
  const performances = await (await fetch(`${base}/api/v1/performances`)).json();
  return performances[0];
}

export async function seatMap(base, performanceId) {
  return (await (await fetch(`${base}/api/v1/performances/${performanceId}/seats`)).json()).seats;
}

/// Books `seatIds` of a performance over the API, as a buyer would; returns the booking.
export async function book(base, performanceId, seatIds, name) {
  const post = (path, body) =>
    fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const hold = await (await post(`/api/v1/performances/${performanceId}/holds`, { seat_ids: seatIds })).json();
  const booking = await post("/api/v1/bookings", { hold_token: hold.hold_token, name, email: "guest@example.kz", language: "ru" });
  if (booking.status !== 201) throw new Error(`booking failed: ${booking.status}`);
  return booking.json();
}

/// Books as [`book`] does, and records the booking paid by a Kaspi transfer before the show
/// (as the director would), so that the door admits it at once.
export async function bookPaid(kassa, performanceId, seatIds, name) {
  const booking = await book(kassa.base, performanceId, seatIds, name);
  const login = await (await fetch(`${kassa.base}/api/v1/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(kassa.director),
  })).json();
  const paid = await fetch(`${kassa.base}/api/v1/bookings/${booking.reference}/payments`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${login.token}` },
    body: JSON.stringify({ amount: booking.total, method: "kaspi" }),
  });
  if (paid.status !== 201) throw new Error(`payment failed: ${paid.status}`);
  return booking;
}

/// Signs in on the pages in `page` and waits for the role's start page.
export async function signIn(page, base, account, back) {
  await page.goto(`${base}/signin${back ? `?back=${back}` : ""}`);
  await page.fill("input[name=email]", account.email);
  await page.fill("input[name=password]", account.password);
  await page.click("form button[type=submit]");
}

/// The plain text of every message the mail worker wrote to the outbox folder whose Message-ID
/// starts with `kind` (e.g. "waitlist_offer"), waiting up to 10 s for one to appear.
export async function mailsOf(kassa, kind) {
  for (let i = 0; i < 100; i++) {
    const texts = readdirSync(kassa.outbox)
      .map((name) => readFileSync(join(kassa.outbox, name), "utf8"))
      .filter((raw) => new RegExp(`^Message-ID: <${kind}\\.`, "mi").test(raw))
      .map(plainText);
    if (texts.length) return texts;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${kind} mail in ${kassa.outbox}`);
}

/// The text/plain part of a MIME message, decoded from base64 or quoted-printable.
function plainText(raw) {
  const part = raw.split(/\r?\n--[^\r\n]+\r?\n/).find((p) => /^Content-Type: text\/plain/mi.test(p));
  if (!part) return raw;
  const [head, ...body] = part.split(/\r?\n\r?\n/);
  const content = body.join("\n\n");
  const encoding = (/^Content-Transfer-Encoding: (\S+)/mi.exec(head) ?? [])[1]?.toLowerCase();
  if (encoding === "base64") return Buffer.from(content.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = content.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return content;
}
