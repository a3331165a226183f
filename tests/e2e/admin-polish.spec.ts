import { expect, type Page, test } from "@playwright/test";
import { PRODUCTS } from "../../app/modules/demo/seed-data";

/**
 * What a new merchant notices first: every admin page names itself in the browser tab, an unknown address under
 * /app stays inside the app (navigation and a way back) with a 404, and the demo storefront fits a phone.
 */
async function open(page: Page, path: string) {
  return page.goto(`/demo/admin?path=${encodeURIComponent(path)}`);
}

const UUID_PATH = (prefix: string) => new RegExp(`^${prefix}/[0-9a-f-]{36}$`);

/** The first link on the page whose path is a record's (a UUID under `prefix`). */
async function firstRecordPath(page: Page, prefix: string) {
  const recordPaths = () =>
    page
      .locator(`a[href^="${prefix}/"]`)
      .evaluateAll((anchors) => anchors.map((anchor) => new URL((anchor as HTMLAnchorElement).href).pathname))
      .then((paths) => paths.filter((path) => UUID_PATH(prefix).test(path)));
  await expect.poll(async () => (await recordPaths()).length, { message: `links to records under ${prefix}` }).toBeGreaterThan(0);
  const [path] = await recordPaths();
  return path as string;
}

test.describe("admin polish", () => {
  test("every admin page has its own <title>", async ({ page }) => {
    const pages = [
      ["/app", "Dashboard · Shopdesk"],
      ["/app/inbox", "Inbox · Shopdesk"],
      ["/app/knowledge", "Knowledge · Shopdesk"],
      ["/app/knowledge/new", "New article · Shopdesk"],
      ["/app/knowledge/import", "Import articles · Shopdesk"],
      ["/app/settings", "Settings · Shopdesk"],
      ["/app/settings/privacy", "Privacy · Shopdesk"],
      ["/app/integrations", "Integrations · Shopdesk"],
    ] as const;
    for (const [path, title] of pages) {
      const response = await open(page, path);
      expect(response?.status(), path).toBe(200);
      await expect(page, path).toHaveTitle(title);
    }

    await open(page, "/app/inbox?view=all");
    const conversation = await firstRecordPath(page, "/app/inbox");
    await open(page, conversation);
    await expect(page).toHaveTitle("Conversation · Shopdesk");

    await open(page, "/app/knowledge");
    const article = await firstRecordPath(page, "/app/knowledge");
    await open(page, article);
    await expect(page).toHaveTitle("Article · Shopdesk");
  });

  test("an unknown address under /app answers 404 inside the app frame, with navigation and a way back", async ({ page }) => {
    const response = await open(page, "/app/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page).toHaveURL(/\/app\/no-such-page\?.*embedded=1/);
    await expect(page).toHaveTitle("Page not found · Shopdesk");
    await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();
    await expect(page.getByText("There is no page at /app/no-such-page")).toBeVisible();
    const nav = page.locator("nav");
    for (const label of ["Dashboard", "Inbox", "Knowledge", "Settings", "Integrations"]) {
      await expect(nav.getByRole("link", { name: label })).toBeVisible();
    }
    // The app's navigation still works from here.
    await nav.getByRole("link", { name: "Inbox" }).click();
    await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();

    await open(page, "/app/settings/nothing/here");
    await page.getByRole("link", { name: "Back to the dashboard" }).click();
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/\/app\?.*embedded=1/);
  });
});

test.describe("demo storefront on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("fits a 390 px screen with the chat launcher in view, and shows the seeded catalogue", async ({ page }) => {
    await page.goto("/demo/storefront");
    const launcher = page.locator("#shopdesk-chat-root").getByRole("button", { name: "Chat with us" });
    await expect(launcher).toBeVisible();

    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390);
    const box = await launcher.boundingBox();
    expect(box).not.toBeNull();
    if (box) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(box.y + box.height).toBeLessThanOrEqual(844);
    }

    const cards = page.locator(".product-grid .card__title");
    await expect(cards).toHaveCount(12);
    const seeded = new Set(PRODUCTS.map((product) => product.title));
    for (const title of await cards.allTextContents()) expect(seeded.has(title), title).toBe(true);
    await page.screenshot({ path: "test-results/demo-storefront-390.png", fullPage: true });
  });
});
