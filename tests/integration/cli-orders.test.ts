import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { installDemoSession } from "~/modules/demo";
import { runJobsOnce } from "~/modules/jobs";
import { APP_SCOPES } from "~/shopify.server";
import { jobHandlers } from "~/worker.server";
import { createTestShop, deleteTestShop } from "../support/shops";
import { fulfillmentPayload, ORDER_ID, orderPayload, refundPayload, shopifyDelivery, startWebhookServer } from "../support/shopify-webhooks";
import { cli } from "../support/cli";



describe("npm run cli -- orders get", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  beforeAll(async () => {
    shop = await createTestShop("CLI orders shop");
    await installDemoSession(prisma, shop.domain, APP_SCOPES);
    // The order arrives the way a real store's does: webhooks POSTed to the app's handler, then the worker.
    const webhooks = await startWebhookServer();
    try {
      for (const [topic, payload] of [
        ["orders/create", orderPayload({ financial_status: "partially_refunded" })],
        ["fulfillments/create", fulfillmentPayload()],
        ["refunds/create", refundPayload()],
      ] as const) {
        expect(await webhooks.post(shopifyDelivery(topic, shop.domain, payload))).toBe(200);
        // One at a time: a refund processed before its order would wait for its retry.
        while ((await runJobsOnce(prisma, jobHandlers, { workerId: "cli-orders-test", shopId: shop.id })) > 0) {}
      }
    } finally {
      await webhooks.close();
    }
  });
  afterAll(() => deleteTestShop(shop.domain));

  it("prints the synced order as one JSON object, found by name, number or platform id", async () => {
    const byName = await cli("orders", "get", "--shop", shop.domain, "#2041");
    expect(byName.stderr).toBe("");
    expect(byName.code).toBe(0);
    const record = JSON.parse(byName.stdout);
    expect(record).toMatchObject({
      name: "#2041",
      platform: "shopify",
      externalId: `gid://shopify/Order/${ORDER_ID}`,
      email: "maya.lopez@example.com",
      status: "open",
      financialStatus: "partially_refunded",
      fulfillmentStatus: "unfulfilled",
      currency: "USD",
      totalPrice: "169.16",
      updatedAt: "2026-11-02T16:15:05.000Z",
      refunds: [{ amount: "33.12", status: "succeeded" }],
      shipments: [{ carrier: "UPS", trackingNumber: "1Z999AA10123456784", trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA10123456784", status: "in_transit" }],
    });
    expect(record.lineItems).toEqual([
      expect.objectContaining({ title: "Ridgeline Rain Jacket", quantity: 1, price: "120.00", discount: "14.00", tax: "8.48", fulfilledQuantity: 1, refundedQuantity: 0 }),
      expect.objectContaining({ title: "Merino Trail Socks", quantity: 3, price: "17.00", fulfilledQuantity: 3, refundedQuantity: 2 }),
    ]);

    for (const reference of ["2041", `gid://shopify/Order/${ORDER_ID}`, String(ORDER_ID)]) {
      const again = await cli("orders", "get", "--shop", shop.domain, reference);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout).externalId).toBe(record.externalId);
    }
  });

  it("exits 1 with a message when the order is not there, and never looks into another shop", async () => {
    const other = await createTestShop("Other shop");
    try {
      const missing = await cli("orders", "get", "--shop", other.domain, "#2041");
      expect(missing.code).toBe(1);
      expect(missing.stdout).toBe("");
      expect(missing.stderr).toContain('no order "#2041"');
    } finally {
      await deleteTestShop(other.domain);
    }
    const usage = await cli("orders", "get", "--shop", shop.domain);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("orders get needs an order");
  });
});
