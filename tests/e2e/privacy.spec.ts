import { execFileSync } from "node:child_process";
import { createHmac, randomInt, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

/**
 * Settings → Privacy in the demo admin: Shopify's customers/data_request for a demo customer, signed like
 * Shopify signs it and processed by the server's own worker, listed on the page and downloaded as a file
 * through the browser (the page's fetch carries App Bridge's session token).
 */

const SHOP = "shopdesk-demo.myshopify.com";
/** The development secret the demo server runs with (app/env.server.ts); never a production value. */
const DEV_SECRET = "shopdesk-dev-api-secret-not-for-production";

function demoCustomer(skip: number): { email: string; orderName: string } {
  const output = execFileSync(process.execPath, ["--import", "tsx/esm", "tests/e2e/support/demo-customer.ts", String(skip)], { encoding: "utf8", timeout: 60_000 });
  return JSON.parse(output.trim().split("\n").at(-1)!) as { email: string; orderName: string };
}

test("a data request's file is listed under Settings → Privacy and downloads with the customer's data", async ({ page, request }) => {
  const customer = demoCustomer(6);
  const body = JSON.stringify({ shop_id: 1, shop_domain: SHOP, customer: { email: customer.email }, orders_requested: [], data_request: { id: randomInt(1_000_000_000) } });
  const delivered = await request.post("/webhooks/customers/data_request", {
    data: body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": "customers/data_request",
      "X-Shopify-Shop-Domain": SHOP,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Hmac-Sha256": createHmac("sha256", DEV_SECRET).update(body).digest("base64"),
    },
  });
  expect(delivered.status()).toBe(200);

  await page.goto("/demo/admin?path=%2Fapp%2Fsettings");
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: /privacy|data requests/i }).click();
  await expect(page.getByRole("heading", { name: "Privacy", level: 1 })).toBeVisible();
  // The server's worker applies the delivery within a second or two; the page shows it once reloaded after that.
  const row = page.getByRole("row").filter({ hasText: customer.email });
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(row.getByText("Ready")).toBeVisible();
  await page.screenshot({ path: "test-results/privacy.png", fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("button", { name: /Download/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^data-request-\d+\.json$/);
  const file = JSON.parse(await readFile((await download.path())!, "utf8")) as { format: string; customers: { email: string }[]; orders: { name: string }[] };
  expect(file.format).toBe("shopdesk.data-request.v1");
  expect(file.customers.map((entry) => entry.email)).toEqual([customer.email]);
  expect(file.orders.map((order) => order.name)).toContain(customer.orderName);

  const results = await new AxeBuilder({ page }).include(".Polaris-Page").analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
});
