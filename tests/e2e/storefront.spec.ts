import { expect, test } from "@playwright/test";

test.describe("demo storefront", () => {
  test("renders the chat bubble app embed and reaches the app through the signed app proxy", async ({ page, request }) => {
    const { greeting } = (await (await request.get("/apps/shopdesk/widget-config")).json()) as { greeting: string };
    expect(greeting.length).toBeGreaterThan(10);
    const proxied: { url: string; status: number }[] = [];
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith("http://localhost")) foreign.push(request.url());
    });
    page.on("response", (response) => {
      if (response.url().includes("/apps/shopdesk/")) proxied.push({ url: response.url(), status: response.status() });
    });

    await page.goto("/demo/storefront");
    await expect(page.getByRole("heading", { name: "Northwind Outfitters" }).first()).toBeVisible();
    const root = page.locator("#shopdesk-chat-root");
    await expect(root).toHaveAttribute("data-shopdesk-shop", /\.myshopify\.com$/);
    const launcher = root.getByRole("button", { name: "Chat with us" });
    await expect(launcher).toBeVisible();
    await expect(launcher).toHaveAttribute("aria-expanded", "false");

    // Nothing but the loader runs until the shopper opens the chat.
    expect(proxied).toEqual([]);
    await launcher.click();
    await expect(launcher).toHaveAttribute("aria-expanded", "true");
    const panel = page.getByRole("dialog");
    await expect(panel).toBeVisible();
    // The greeting comes from the shop's settings via /apps/shopdesk/conversations (signature verified).
    await expect(panel).toContainText(greeting);
    await expect.poll(() => proxied.filter((entry) => entry.url.includes("/apps/shopdesk/conversations")).map((entry) => entry.status)).toEqual([200]);
    expect(proxied.every((entry) => entry.status === 200)).toBe(true);

    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
    await expect(launcher).toBeFocused();
    expect(foreign).toEqual([]);
    await page.screenshot({ path: "test-results/demo-storefront.png" });
  });

  test("uses the storefront's language", async ({ page }) => {
    await page.goto("/demo/storefront?locale=fr");
    await expect(page.locator("#shopdesk-chat-root").getByRole("button", { name: "Discuter avec nous" })).toBeVisible();
  });
});
