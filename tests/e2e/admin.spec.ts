import { expect, test } from "@playwright/test";

test.describe("demo admin", () => {
  test("opens the embedded app with a verified session token and shows the Polaris dashboard shell", async ({ page }) => {
    await page.goto("/demo/admin");
    await expect(page).toHaveURL(/\/app\?.*embedded=1.*id_token=/);
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();

    const nav = page.locator("nav");
    for (const label of ["Dashboard", "Inbox", "Knowledge", "Settings", "Integrations"]) {
      await expect(nav.getByRole("link", { name: label })).toBeVisible();
    }
    // Figures come from the seeded demo shop, through authenticate.admin and the database.
    const value = (label: string) =>
      page.getByRole("region", { name: label }).locator("p").first().textContent().then((text) => Number(text?.replace(/\D/g, "")));
    expect(await value("Orders synced")).toBeGreaterThanOrEqual(500);
    expect(await value("Knowledge sources")).toBeGreaterThanOrEqual(30);
    expect(await value("Open conversations")).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: "test-results/demo-admin.png", fullPage: true });
  });

  test("navigates between sections with data requests authenticated by bearer tokens", async ({ page }) => {
    const dataRequests: { url: string; status: number; authorized: boolean }[] = [];
    page.on("response", (response) => {
      if (response.url().includes("_data=")) {
        dataRequests.push({
          url: response.url(),
          status: response.status(),
          authorized: /^Bearer /.test(response.request().headers().authorization ?? ""),
        });
      }
    });
    await page.goto("/demo/admin");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    for (const [label, text] of [
      ["Inbox", "Your team's shared inbox"],
      ["Knowledge", "Everything the assistant may answer from"],
      ["Settings", "How the assistant speaks"],
      ["Integrations", "Connect the platforms"],
    ] as const) {
      await page.locator("nav").getByRole("link", { name: label }).click();
      await expect(page.getByRole("heading", { name: label, level: 1 })).toBeVisible();
      await expect(page.getByText(text)).toBeVisible();
    }
    expect(dataRequests.length).toBeGreaterThanOrEqual(4);
    for (const request of dataRequests) {
      expect(request.authorized).toBe(true);
      expect(request.status).toBe(200);
    }
  });
});
