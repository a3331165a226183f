import { execFileSync } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";
import { FakeWooStore, type StoreKey } from "../support/woocommerce-store";

/**
 * WooCommerce end to end: a store speaking WooCommerce's REST API runs in this test process; the merchant
 * connects it from the Integrations screen, watches the backfill, a shopper verifies one of its orders in the
 * storefront widget, and a delivery that failed (the store refused the keys) shows on the screen until Retry
 * applies it. The store's webhooks are delivered to the app over HTTP, signed as WooCommerce signs them.
 */

const ORDER_ID = 88001;
const EMAIL = "wren.woo@example.com";
const TRACKING = "9400111899562537866362";

let store: FakeWooStore;
let key: StoreKey;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  // A database an earlier run used may still hold a connection to a store that is gone.
  execFileSync(process.execPath, ["--import", "tsx/esm", "tests/e2e/support/woocommerce-reset.ts"], { encoding: "utf8", timeout: 60_000 });
  store = await new FakeWooStore().start();
  key = store.addKey();
  for (let index = 0; index < 12; index++) store.addCustomer({ email: `woo.customer${index}@example.com`, firstName: "Woo", lastName: `Customer ${index}` });
  // Four pages of orders, each page a little slow, so the backfill's progress can be watched.
  for (let index = 0; index < 360; index++) store.addOrder({ id: 90_000 + index, email: `woo.shopper${index}@example.com` });
  store.addOrder({ id: ORDER_ID, email: EMAIL, firstName: "Wren", tracking: { provider: "USPS", number: TRACKING, link: `https://tools.usps.example/track?tLabels=${TRACKING}` } });
  store.updateOrder(ORDER_ID, { status: "completed" });
  store.listLatencyMs = 1_500;
});

test.afterAll(async () => {
  await store?.close();
});

/** As Maya, the store's owner: connecting and disconnecting is for owners and admins. */
async function openIntegrations(page: Page) {
  await page.goto(`/demo/admin?as=maya&path=${encodeURIComponent("/app/integrations")}`);
  await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
  return page.getByRole("region", { name: "WooCommerce" });
}

test("connects a WooCommerce store from the Integrations screen and watches its backfill finish", async ({ page }) => {
  const card = await openIntegrations(page);
  await expect(card.getByText("Not connected")).toBeVisible();

  // Wrong keys: WooCommerce's refusal shows at the field, nothing is connected.
  await card.getByLabel("Store address").fill(store.url);
  await card.getByLabel("Consumer key").fill(key.consumerKey);
  await card.getByLabel("Consumer secret").fill(`cs_${"0".repeat(40)}`);
  await card.getByRole("button", { name: "Connect WooCommerce" }).click();
  await expect(card.getByText(/WooCommerce refused these keys \(401\)/)).toBeVisible();

  await card.getByLabel("Consumer secret").fill(key.consumerSecret);
  await card.getByRole("button", { name: "Connect WooCommerce" }).click();
  await expect(card.getByText("Connected", { exact: true })).toBeVisible();
  await expect(card.getByText(store.url)).toBeVisible();
  expect([...store.webhooks.values()].map((webhook) => webhook.topic).sort()).toEqual(["customer.created", "customer.updated", "order.created", "order.deleted", "order.updated"]);

  // The page polls while the backfill runs: a part-way count, then the finished bar.
  const progress = card.getByRole("progressbar", { name: /Backfill/ });
  await expect(card.getByText(/^Backfill: \d+ of 373 records/)).toBeVisible({ timeout: 30_000 });
  await expect(card.getByText(/^Backfill finished .*: 373 records \(customers 12\/12, orders 361\/361\)/)).toBeVisible({ timeout: 60_000 });
  await expect(progress).toHaveAttribute("value", "100");
  const pages = store.requests.filter((request) => request.path === "/wp-json/wc/v3/orders" && request.query.per_page === "100");
  expect(pages.map((request) => request.query.page)).toEqual(["1", "2", "3", "4"]);
  // Nothing the merchant typed as a secret is on the page.
  expect(await page.content()).not.toContain(key.consumerSecret);
});

test("a shopper verifies the WooCommerce order by number and email in the storefront widget", async ({ page }) => {
  await page.goto("/demo/storefront");
  await page.getByRole("button", { name: "Chat with us" }).click();
  const panel = page.getByRole("dialog");
  // The conversation is started (its token kept) before the form is asked for.
  await expect(panel.getByRole("textbox", { name: "Your message" })).toBeVisible();
  await expect.poll(() => page.evaluate(() => Object.keys(window.localStorage).some((name) => name.startsWith("shopdesk:v1:")))).toBe(true);
  await panel.getByRole("button", { name: "Check an order" }).click();
  await expect(panel.getByRole("textbox", { name: "Order number" })).toBeVisible();
  await panel.getByRole("textbox", { name: "Order number" }).fill(String(ORDER_ID));
  await panel.getByRole("textbox", { name: "Email address" }).fill(EMAIL);
  await panel.getByRole("button", { name: "Check order" }).click();
  const log = panel.getByRole("log");
  await expect(log).toContainText(`#${ORDER_ID}`);
  await expect(log).toContainText(/In transit|Shipped/);
  await expect(log.getByRole("link", { name: /Track package/ })).toHaveAttribute("href", new RegExp(TRACKING));
});

test("a delivery that failed shows on the screen with the store's answer, and Retry applies it", async ({ page }) => {
  // The store refuses the keys while a refund's order.updated is applied (its refunds are read from the store).
  store.revokeKey(key);
  store.addRefund(ORDER_ID, { amount: 12, reason: "One sock was missing", quantity: 1 });
  expect(await store.fire("order.updated", ORDER_ID)).toEqual([200]);

  const card = await openIntegrations(page);
  const failures = card.getByRole("region", { name: "Failures" });
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("region", { name: "WooCommerce" }).getByRole("region", { name: "Failures" })).toContainText("Webhook order.updated", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(failures).toContainText(/WooCommerce answered 401 to GET orders\/88001\/refunds/);
  await expect(card.getByText("Needs attention")).toBeVisible();

  store.keys.push(key);
  await failures.getByRole("button", { name: /^Retry Webhook order\.updated/ }).click();
  // Applied by the worker: the failure leaves the list and the connection is healthy again.
  await expect(card.getByRole("region", { name: "Failures" })).toHaveCount(0, { timeout: 30_000 });
  await expect(card.getByText("Connected", { exact: true })).toBeVisible();
  expect(store.requests.some((request) => request.path === `/wp-json/wc/v3/orders/${ORDER_ID}/refunds` && request.status === 200)).toBe(true);
});

test("disconnects only after confirming", async ({ page }) => {
  const card = await openIntegrations(page);
  await card.getByRole("button", { name: "Disconnect" }).click();
  const dialog = page.getByRole("dialog", { name: "Disconnect WooCommerce?" });
  await expect(dialog).toContainText("Orders already synced stay");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(card.getByText("Connected", { exact: true })).toBeVisible();
  expect(store.webhooks.size).toBe(5);

  await card.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("dialog", { name: "Disconnect WooCommerce?" }).getByRole("button", { name: "Disconnect" }).click();
  await expect(card.getByText("Disconnected", { exact: true })).toBeVisible();
  await expect(card.getByRole("button", { name: "Connect WooCommerce" })).toBeVisible();
  expect(store.webhooks.size).toBe(0);
});
