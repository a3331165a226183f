import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_KEY, DEV_SHOPIFY_API_SECRET, resetEnvForTests } from "~/env.server";
import { WOO_BACKFILL_JOB } from "~/modules/commerce";
import { DEMO_STAFF_USERS, installDemoSession, signSessionToken } from "~/modules/demo";
import { action, loader } from "~/routes/app.integrations";
import { APP_SCOPES } from "~/shopify.server";
import { createTestShop, deleteTestShop } from "../support/shops";
import { FakeWooStore, type StoreKey } from "../support/woocommerce-store";

/**
 * The Integrations route through the real door (an admin session token, authenticate.admin): the connect form's
 * errors come back per field, only owners and admins connect or disconnect, a connection is made against a store
 * speaking WooCommerce's REST API, and neither the loader's data nor any answer ever carries a key or secret.
 */

const APP_URL = "http://localhost:3000";

describe("Integrations screen route", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  let store: FakeWooStore;
  let key: StoreKey;
  const appUrl = process.env.SHOPIFY_APP_URL;

  /** As the store's owner (Maya) unless another demo user is named (Alex is an agent). */
  async function request(method: "GET" | "POST", form?: Record<string, string>, userId: string = DEMO_STAFF_USERS.maya.id) {
    const token = await signSessionToken({ shopDomain: shop.domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: DEV_SHOPIFY_API_SECRET, userId });
    return new Request(`${APP_URL}/app/integrations?_data=routes%2Fapp.integrations`, {
      method,
      headers: { Authorization: `Bearer ${token}` },
      ...(form ? { body: new URLSearchParams(form) } : {}),
    });
  }
  const load = async () => JSON.stringify(await loader({ request: await request("GET"), params: {}, context: {} }));
  const act = async (form: Record<string, string>, userId?: string) => {
    const response = await action({ request: await request("POST", form, userId), params: {}, context: {} });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as { ok: boolean; message: string; fieldErrors?: Record<string, string> } };
  };

  beforeAll(async () => {
    // Webhook deliveries of this test's connection go nowhere: the store's pings fail, which it ignores.
    process.env.SHOPIFY_APP_URL = "http://127.0.0.1:9";
    resetEnvForTests();
    shop = await createTestShop("Screen shop");
    await installDemoSession(prisma, shop.domain, APP_SCOPES);
    store = await new FakeWooStore().start();
    key = store.addKey();
  });
  afterAll(async () => {
    if (appUrl === undefined) delete process.env.SHOPIFY_APP_URL;
    else process.env.SHOPIFY_APP_URL = appUrl;
    resetEnvForTests();
    await store.close();
    await deleteTestShop(shop.domain);
  });

  it("shows Shopify connected and WooCommerce not connected", async () => {
    const data = JSON.parse(await load());
    expect(data.shopify).toMatchObject({ platform: "shopify", domain: shop.domain, status: "connected" });
    expect(data.woocommerce).toMatchObject({ platform: "woocommerce", status: "not_connected", storeUrl: null });
    // Only the demo shop's card says the seed imported its data.
    expect(data.seededDemo).toBe(false);
  });

  it("answers a connect form with an error per field, storing nothing", async () => {
    const empty = await act({ intent: "woocommerce.connect", storeUrl: "", consumerKey: "", consumerSecret: "" });
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.body.fieldErrors ?? {}).sort()).toEqual(["consumerKey", "consumerSecret", "storeUrl"]);
    const swapped = await act({ intent: "woocommerce.connect", storeUrl: "ftp://shop.example.com", consumerKey: key.consumerSecret, consumerSecret: key.consumerKey });
    expect(swapped.body.fieldErrors).toEqual({
      storeUrl: "The address must start with https:// or http://",
      consumerKey: expect.stringMatching(/starts with ck_/),
      consumerSecret: expect.stringMatching(/starts with cs_/),
    });
    // What was typed is never echoed back.
    expect(swapped.text).not.toContain(key.consumerSecret);
    expect(swapped.text).not.toContain(key.consumerKey);
    const refused = await act({ intent: "woocommerce.connect", storeUrl: store.url, consumerKey: key.consumerKey, consumerSecret: `cs_${"1".repeat(40)}` });
    expect(refused.status).toBe(400);
    expect(refused.body.fieldErrors?.consumerKey).toMatch(/refused these keys \(401\)/);
    expect(await prisma.integration.count({ where: { shopId: shop.id } })).toBe(0);
    expect((await act({ intent: "retry", kind: "event", id: "not-an-id" })).status).toBe(400);
    expect((await act({ intent: "drop-tables" })).status).toBe(400);
  });

  it("lets only owners and admins connect", async () => {
    const agent = await act({ intent: "woocommerce.connect", storeUrl: store.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret }, DEMO_STAFF_USERS.alex.id);
    expect(agent.status).toBe(403);
    expect(agent.body.message).toBe("Only the store's owners and admins can connect or disconnect WooCommerce.");
    expect(store.webhooks.size).toBe(0);
    expect(await prisma.integration.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("connects, queues the backfill, and never sends the keys or secrets back", async () => {
    const connected = await act({ intent: "woocommerce.connect", storeUrl: `${store.url}/`, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
    expect(connected.status).toBe(200);
    expect(connected.body).toMatchObject({ ok: true, message: "Connected. Customers and orders are being read from the store." });
    expect(await prisma.job.count({ where: { shopId: shop.id, name: WOO_BACKFILL_JOB, status: "queued" } })).toBe(1);
    expect(store.webhooks.size).toBe(5);
    const webhookSecret = [...store.webhooks.values()][0]!.secret;
    const stored = (await prisma.integration.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "woocommerce" } } })).encryptedCredentials!;

    const data = await load();
    expect(JSON.parse(data).woocommerce).toMatchObject({ status: "connected", storeUrl: store.url, webhooks: expect.arrayContaining([{ topic: "order.updated", status: "active" }]) });
    for (const secret of [key.consumerKey, key.consumerSecret, webhookSecret, stored]) {
      expect(data).not.toContain(secret);
      expect(connected.text).not.toContain(secret);
    }
  });

  it("disconnects: the webhooks and keys are gone and the card offers the form again", async () => {
    // An agent may resync, not disconnect.
    expect((await act({ intent: "woocommerce.resync" }, DEMO_STAFF_USERS.alex.id)).body).toMatchObject({ ok: true });
    expect((await act({ intent: "woocommerce.disconnect" }, DEMO_STAFF_USERS.alex.id)).status).toBe(403);
    const result = await act({ intent: "woocommerce.disconnect" });
    expect(result.body).toMatchObject({ ok: true });
    expect(store.webhooks.size).toBe(0);
    expect(JSON.parse(await load()).woocommerce).toMatchObject({ status: "disconnected", storeUrl: store.url, webhooks: [] });
    expect((await act({ intent: "woocommerce.resync" })).body).toMatchObject({ ok: false, message: "No WooCommerce store is connected." });
  });
});
