import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";

/**
 * The demo's Shopify card tells the truth about where the demo's orders came from: the seed wrote them through the
 * Shopify connector, and no webhook was received.
 */
test("the demo's Shopify card says no webhook was received and that the seed imported the data", async ({ page }) => {
  execFileSync("node", ["--import", "tsx/esm", "tests/e2e/support/demo-reset.ts", "shopify-deliveries"], { encoding: "utf8", env: { ...process.env }, timeout: 120_000 });
  await page.goto(`/demo/admin?as=maya&path=${encodeURIComponent("/app/integrations")}`);
  const card = page.getByRole("region", { name: "Shopify" });
  await expect(card.getByText("No webhooks received yet — the demo's data was imported by the seed.")).toBeVisible();
  await expect(card.getByText("None yet", { exact: true })).toBeVisible();
  await expect(card.getByText("never", { exact: true })).toHaveCount(0);
});
