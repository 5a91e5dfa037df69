// Starts a real kassa (the binary cargo built) on a fresh SQLite file with the demo, on a free
// loopback port, and opens Debian's Chromium through Playwright. Only 127.0.0.1 is ever
// contacted.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
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

export async function startKassa() {
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
      KASSA__LOG__FILTER: "warn",
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
  return {
    base,
    director: director && { email: director[1], password: director[2] },
    stop: () => child.kill("SIGTERM"),
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/// The first upcoming performance of the demo.
export async function firstPerformance(base) {
  const performances = await (await fetch(`${base}/api/v1/performances`)).json();
  return performances[0];
}

export async function seatMap(base, performanceId) {
  return (await (await fetch(`${base}/api/v1/performances/${performanceId}/seats`)).json()).seats;
}
