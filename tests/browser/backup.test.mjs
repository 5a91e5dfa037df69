// A scheduled backup that fails, as the director sees it in a real browser: kassa is told to
// back up into a directory that cannot be made (its parent is a file), and the schedule and the
// mail page carry the warning with the cause, in the director's language. Screenshots at 390 px
// and 1280 px go to output/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withKassa, shoot, signIn } from "./kassa.mjs";

const blocker = join(mkdtempSync(join(tmpdir(), "kassa-backup-")), "a-file");
writeFileSync(blocker, "");
const running = withKassa({ KASSA__BACKUP__DIR: join(blocker, "backups") });

test("a failed backup is a warning on the director's schedule and mail pages", async () => {
  const { kassa, browser } = running;
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.director);
  await page.waitForURL(/\/director$/);
  const warning = page.locator(".notice.warning", { hasText: "Резервная копия" });
  assert.equal(await warning.count(), 1, "the schedule warns");
  assert.match(await warning.textContent(), /не создана .*cannot create backup\.dir/);
  assert.equal(await warning.getAttribute("role"), "alert");
  await shoot(page, "backup-warning-ru");

  await page.goto(`${kassa.base}/lang/kk?back=/director/mail`);
  await page.waitForURL(/\/director\/mail$/);
  const onMail = page.locator(".notice.warning", { hasText: "резервтік көшірме" });
  assert.equal(await onMail.count(), 1, "the mail page warns, in Kazakh");
  await shoot(page, "backup-warning-mail-kk");
  await context.close();
});
