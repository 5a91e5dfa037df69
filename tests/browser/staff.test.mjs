// Staff accounts in a real browser: the director invites someone on /director/staff, who sets a
// password from the mail's link and signs in at the door; the director switches the account
// off and its open page is signed out; "forgot password" from the sign-in page. Screenshots at
// 360 px and 1280 px go to output/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withKassa, shoot, signIn, mailsOf } from "./kassa.mjs";

const running = withKassa();

test("an invited member of staff sets a password from the mail, works the door, and is switched off", async () => {
  const { kassa, browser } = running;
  const director = await browser.newContext({ locale: "en-GB" });
  const office = await director.newPage();
  await signIn(office, kassa.base, kassa.director, "/director/staff");
  await office.waitForURL(/\/director\/staff$/);
  assert.match(await office.locator("h1").textContent(), /Staff/);
  assert.match(await office.locator("ul.accounts").textContent(), /you/);
  await office.fill("form.invite-form input[name=email]", "dana@example.kz");
  await office.selectOption("form.invite-form select[name=role]", "staff");
  await office.selectOption("form.invite-form select[name=language]", "en");
  await office.click("form.invite-form button[type=submit]");
  await office.waitForURL(/invited=/);
  assert.match(await office.locator("[role=status]").textContent(), /invitation is on its way to dana@example\.kz/);
  assert.match(await office.locator("ul.accounts").textContent(), /invited, no password yet/);
  await shoot(office, "staff-invited-en");

  const [invitation] = await mailsOf(kassa, "staff_invited");
  assert.match(invitation, /door staff/);
  assert.match(invitation, /48 hours/);
  const link = /http:\/\/127\.0\.0\.1:\d+\/password\/[A-Za-z0-9_-]{43}/.exec(invitation)[0];

  const newcomer = await browser.newContext({ locale: "en-GB" });
  const phone = await newcomer.newPage();
  await phone.goto(link);
  assert.match(await phone.locator("h1").textContent(), /Set your password/);
  await phone.fill("input[name=password]", "a long door password");
  await phone.fill("input[name=repeat]", "a different password");
  await phone.click("form button[type=submit]");
  await phone.waitForLoadState();
  assert.match(await phone.locator("[role=alert]").textContent(), /differ/);
  await shoot(phone, "staff-password-mismatch-en");
  await phone.fill("input[name=password]", "a long door password");
  await phone.fill("input[name=repeat]", "a long door password");
  await phone.click("form button[type=submit]");
  await phone.waitForLoadState();
  assert.match(await phone.locator("[role=status]").textContent(), /password is set/);
  await phone.click("a.button");
  await signIn(phone, kassa.base, { email: "dana@example.kz", password: "a long door password" });
  await phone.waitForURL(/\/door/);

  // Switched off by the director: the door page open on the phone is signed out at once.
  await office.goto(`${kassa.base}/director/staff`);
  const row = office.locator("li.account", { hasText: "dana@example.kz" });
  assert.match(await row.textContent(), /Last sign-in: \d{4}-\d\d-\d\d/);
  await row.locator("button[value=off]").click();
  await office.waitForURL(/changed=/);
  assert.match(await office.locator("li.account", { hasText: "dana@example.kz" }).textContent(), /switched off/);
  await shoot(office, "staff-switched-off-en");
  await phone.goto(`${kassa.base}/door`);
  await phone.waitForURL(/\/signin/);
  await newcomer.close();
  await director.close();
});

test("forgot password on the sign-in page says the same for any address and mails the account", async () => {
  const { kassa, browser } = running;
  const context = await browser.newContext({ locale: "kk-KZ" });
  const page = await context.newPage();
  await page.goto(`${kassa.base}/signin`);
  await page.click('a[href="/signin/forgot"]');
  await page.waitForURL(/\/signin\/forgot$/);
  assert.match(await page.locator("h1").textContent(), /Жаңа құпиясөз/);
  await shoot(page, "staff-forgot-kk");
  await page.fill("input[name=email]", kassa.staff.email);
  await page.click("form button[type=submit]");
  await page.waitForLoadState();
  const answer = await page.locator("[role=status]").textContent();
  await page.goto(`${kassa.base}/signin/forgot`);
  await page.fill("input[name=email]", "nobody@example.kz");
  await page.click("form button[type=submit]");
  await page.waitForLoadState();
  assert.equal(await page.locator("[role=status]").textContent(), answer, "the same answer");
  await shoot(page, "staff-forgot-sent-kk");
  const [reset] = await mailsOf(kassa, "password_reset");
  assert.match(reset, /\/password\/[A-Za-z0-9_-]{43}/);
  assert.match(reset, /60/);
  await context.close();
});
