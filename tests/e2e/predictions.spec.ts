import { expect, type Page, test } from "@playwright/test";

/**
 * Predictions on the demo shop (its history is enough for both models, trained by the seed): the dashboard's card
 * lists open conversations at risk and customers at churn risk with their factors and the models' held-out
 * quality; a conversation opened from it shows its predicted CSAT beside it; Retrain now queues a retraining.
 */

async function openDashboard(page: Page) {
  await page.goto(`/demo/admin?path=${encodeURIComponent("/app")}`);
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
}

const card = (page: Page) => page.getByRole("region", { name: "Predictions", exact: true });

test.describe("predictions", () => {
  test("the dashboard lists conversations and customers at risk with their factors and the models' quality", async ({ page }) => {
    await openDashboard(page);
    const predictions = card(page);
    await expect(predictions.getByRole("heading", { name: "Open conversations at risk of a low rating" })).toBeVisible();
    await expect(predictions.getByText(/^Model quality: held-out AUC 0\.\d\d \(5-fold cross-validation repeated 5 times on \d+ rated conversations/)).toBeVisible();
    await expect(predictions.getByText(/^Model quality: held-out AUC 0\.\d\d \(5-fold cross-validation repeated 5 times on \d+ customers who had ordered by 60 days ago/)).toBeVisible();
    await expect(predictions.getByText(/^\d{1,3}% likely to rate 4–5$/).first()).toBeVisible();
    await expect(predictions.getByText(/^\d{1,3}% likely no order in 60 days$/)).toHaveCount(5);
    // Every listed prediction says why, in words that name a direction.
    const reasons = predictions.getByRole("list", { name: /^Why, for / });
    expect(await reasons.count()).toBeGreaterThanOrEqual(6);
    await expect(reasons.first().getByRole("listitem").first()).toHaveText(/ — (lowers|raises) predicted CSAT$/);
    await expect(predictions.getByText(/ — (lowers|raises) churn risk$/).first()).toBeVisible();
  });

  test("a conversation at risk opens in the inbox with its predicted CSAT and factors beside it", async ({ page }) => {
    await openDashboard(page);
    const first = card(page).getByRole("link").first();
    const shopper = (await first.textContent())?.trim() ?? "";
    await first.click();
    await expect(page).toHaveURL(/\/app\/inbox\/[0-9a-f-]{36}/);
    const beside = page.getByRole("complementary", { name: "Customer" }).getByRole("region", { name: "Predictions" });
    await expect(beside.getByText(/^\d{1,3}% likely to rate 4–5$/)).toBeVisible();
    await expect(beside.getByRole("list", { name: "Why this CSAT prediction" }).getByRole("listitem").first()).toHaveText(/ — (lowers|raises) predicted CSAT$/);
    await expect(beside.getByRole("heading", { name: "Churn risk" })).toBeVisible();
    await expect(page.getByRole("heading", { name: shopper, level: 2 }).first()).toBeVisible();
  });

  test("Retrain now queues a retraining and says so", async ({ page }) => {
    await openDashboard(page);
    await card(page).getByRole("button", { name: "Retrain now" }).click();
    await expect(card(page).getByText(/^Retraining (queued: reload in a minute for the new models\.|was already queued\.)$/)).toBeVisible();
  });
});
