// The director uploads a poster on the production's page; the production page and the home
// page's card show it at the width the screen needs, loaded lazily. The demo's own poster is
// there from the first run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withKassa, signIn, shoot } from "./kassa.mjs";

const running = withKassa();

test("the demo's cards have a poster, and an uploaded one replaces it on both pages", async () => {
  const { kassa, browser } = running;
  const visitor = await (await browser.newContext({ locale: "ru-RU", viewport: { width: 390, height: 844 } })).newPage();
  await visitor.goto(`${kassa.base}/`);
  const card = visitor.locator("section.card").first();
  const demoPoster = await card.locator("img.poster").getAttribute("src");
  assert.match(demoPoster, /^\/posters\/[0-9a-f]{20}\/320\.jpg$/, "the demo's drawn poster");
  await card.locator("h2 a").click();
  await visitor.waitForURL(/\/productions\/\d+$/);
  const production = visitor.url().split("/").pop();
  await visitor.locator("img.poster").scrollIntoViewIfNeeded();
  await visitor.waitForFunction(() => document.querySelector("img.poster").complete && document.querySelector("img.poster").naturalWidth > 0);
  const chosen = await visitor.evaluate(() => document.querySelector("img.poster").currentSrc);
  assert.match(chosen, /\/(640|1280)\.jpg$/, `a 390 px screen at 2× takes a larger copy (${chosen})`);
  assert.equal(await visitor.locator("img.poster").getAttribute("loading"), "lazy");
  assert.match(await visitor.locator("main").textContent(), /антракт 15 мин · 16\+ · русский/);
  await shoot(visitor, "production");

  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.director, `/director/productions/${production}`);
  await page.waitForURL(new RegExp(`/director/productions/${production}$`));
  const png = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 900;
    canvas.height = 1260;
    const g = canvas.getContext("2d");
    g.fillStyle = "#1f5f99";
    g.fillRect(0, 0, 900, 1260);
    g.fillStyle = "#f2b400";
    g.fillRect(100, 100, 700, 300);
    return canvas.toDataURL("image/png").split(",")[1];
  });
  await page.setInputFiles("input[name=poster]", { name: "poster.txt", mimeType: "text/plain", buffer: Buffer.from("just text") });
  await page.click("form.poster-upload button[type=submit]");
  assert.match(await page.locator("[role=alert]").textContent(), /Это не изображение JPEG, PNG или WebP/);
  await page.setInputFiles("input[name=poster]", { name: "afisha.png", mimeType: "image/png", buffer: Buffer.from(png, "base64") });
  await page.click("form.poster-upload button[type=submit]");
  await page.waitForURL(new RegExp(`/director/productions/${production}$`));
  assert.equal(await page.locator("p.notice.done").textContent(), "Афиша «Здесь.Алматы» загружена.");
  const uploaded = await page.locator("img.poster").getAttribute("src");
  assert.notEqual(uploaded, demoPoster);
  await page.waitForFunction(() => document.querySelector("img.poster").naturalWidth > 0);
  await shoot(page, "director-poster");
  await context.close();

  await visitor.goto(`${kassa.base}/`);
  assert.equal(await visitor.locator("section.card img.poster").first().getAttribute("src"), uploaded, "the card shows the new poster");
  await visitor.evaluate(() => Promise.all([...document.images].map((i) => { i.loading = "eager"; return i.decode().catch(() => {}); })));
  await shoot(visitor, "home-cards");
});

test("the director types the credits a line each, and the production page lists them under their headings", async () => {
  const { kassa, browser } = running;
  const visitor = await (await browser.newContext({ locale: "ru-RU", viewport: { width: 390, height: 844 } })).newPage();
  await visitor.goto(`${kassa.base}/`);
  await visitor.locator("section.card h2 a").first().click();
  await visitor.waitForURL(/\/productions\/\d+$/);
  const production = visitor.url().split("/").pop();
  assert.deepEqual(
    await visitor.locator("section.credits.crew li").allTextContents(),
    ["Постановка Театр 2act", "Текст Монологи по интервью с теми, кто переехал в Алматы, и с алматинцами"],
    "the demo credits the company",
  );
  assert.equal(await visitor.locator("section.credits.cast").count(), 0, "no cast, no empty heading");

  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await signIn(page, kassa.base, kassa.director, `/director/productions/${production}`);
  await page.waitForURL(new RegExp(`/director/productions/${production}$`));
  await page.fill("textarea[name=crew]", "Режиссёр — Дина Ахметова\nХудожник по свету: Арман Ли");
  await page.fill("textarea[name=cast]", "Айгерим, переехала из Москвы — Дана Сейткали\nОксана, из Харькова —\nЕржан, алматинец — Арман Ли");
  await page.click("form.production-form button[type=submit]");
  assert.match(await page.locator("[role=alert]").textContent(), /Проверьте поле «В ролях, строка 2»/);
  assert.match(await page.inputValue("textarea[name=cast]"), /Оксана, из Харькова —/, "what was typed stays");
  await page.fill("textarea[name=cast]", "Айгерим, переехала из Москвы — Дана Сейткали\nОксана, из Харькова — Мария Коваль\nЕржан, алматинец — Арман Ли");
  await page.click("form.production-form button[type=submit]");
  await page.waitForURL(/\/director\/productions$/);
  assert.equal(await page.locator("p.notice.done").textContent(), "Постановка «Здесь.Алматы» сохранена.");
  await context.close();

  await visitor.reload();
  assert.deepEqual(await visitor.locator("section.credits.crew li").allTextContents(), [
    "Режиссёр Дина Ахметова",
    "Художник по свету Арман Ли",
  ]);
  assert.deepEqual(await visitor.locator("section.credits.cast li").allTextContents(), [
    "Айгерим, переехала из Москвы Дана Сейткали",
    "Оксана, из Харькова Мария Коваль",
    "Ержан, алматинец Арман Ли",
  ]);
  assert.equal(await visitor.locator("#credits-cast").textContent(), "В ролях");
  // The role sits above its name, smaller, on a phone as on a laptop.
  const [role, name] = await Promise.all(
    [".role", ".name"].map((part) => visitor.locator(`section.credits.cast li >> nth=0 >> ${part}`).boundingBox()),
  );
  assert.ok(role.y + role.height <= name.y + 1, `the role above the name (${role.y}, ${name.y})`);
  await visitor.locator("section.credits.cast").scrollIntoViewIfNeeded();
  await shoot(visitor, "production-credits");
});
