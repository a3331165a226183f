import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_ENCRYPTION_KEY, DEV_SHOPIFY_API_KEY, DEV_SHOPIFY_API_SECRET, resetEnvForTests } from "~/env.server";
import { connectStripe } from "~/modules/commerce";
import { DEMO_STAFF_USER_ID, installDemoSession, signSessionToken } from "~/modules/demo";
import { loader } from "~/routes/app.integrations";
import { action } from "~/routes/app.integrations.stripe";
import { APP_SCOPES } from "~/shopify.server";
import { createTestShop, deleteTestShop } from "../support/shops";
import { type StripeApiServer, startStripeApiServer } from "../support/stripe-api-server";

/**
 * The Stripe card through the real doors (admin session tokens, authenticate.admin): the Integrations loader's
 * Stripe data and the card's own action. Errors come back per field, only owners and admins connect or
 * disconnect, and nothing sent to the browser carries the key, the signing secret or their encrypted form.
 */

const APP_URL = "http://localhost:3000";
const OWNER_USER_ID = "4200002"; // the demo store's account owner; the default demo user is not
const alnum = (length: number) => randomBytes(length * 2).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, length);

describe("Stripe card routes", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  let stripe: StripeApiServer;
  const apiKey = `rk_live_${alnum(32)}`;
  const webhookSecret = `whsec_${alnum(32)}`;
  const appUrl = process.env.SHOPIFY_APP_URL;

  async function request(path: string, method: "GET" | "POST", options: { form?: Record<string, string>; userId?: string } = {}) {
    const token = await signSessionToken({ shopDomain: shop.domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: DEV_SHOPIFY_API_SECRET, userId: options.userId ?? OWNER_USER_ID });
    return new Request(`${APP_URL}${path}`, { method, headers: { Authorization: `Bearer ${token}` }, ...(options.form ? { body: new URLSearchParams(options.form) } : {}) });
  }
  const load = async () => JSON.stringify(await loader({ request: await request("/app/integrations?_data=routes%2Fapp.integrations", "GET"), params: {}, context: {} }));
  async function act(form: Record<string, string>, userId?: string) {
    const response = await action({ request: await request("/app/integrations/stripe", "POST", { form, userId }), params: {}, context: {} });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as { ok: boolean; message: string; fieldErrors?: Record<string, string> } };
  }

  beforeAll(async () => {
    process.env.SHOPIFY_APP_URL = "https://shopdesk.example";
    resetEnvForTests();
    shop = await createTestShop("Stripe screen shop");
    await installDemoSession(prisma, shop.domain, APP_SCOPES);
    stripe = await startStripeApiServer({ keys: [apiKey] });
  });
  afterAll(async () => {
    if (appUrl === undefined) delete process.env.SHOPIFY_APP_URL;
    else process.env.SHOPIFY_APP_URL = appUrl;
    resetEnvForTests();
    await stripe.close();
    await deleteTestShop(shop.domain);
  });

  it("shows the endpoint to create in Stripe before anything is connected", async () => {
    const data = JSON.parse(await load());
    expect(data.stripe).toMatchObject({ status: "not_connected", mode: null, webhookUrl: `https://shopdesk.example/webhooks/stripe/${shop.id}`, activity: { lastEventAt: null, eventsLast24h: 0, failures: [] } });
    expect(data.stripe.webhookEvents).toEqual(expect.arrayContaining(["charge.refunded", "refund.updated", "charge.dispute.created", "payment_intent.payment_failed"]));
  });

  it("answers the connect form field by field without echoing what was typed, and stores nothing", async () => {
    const empty = await act({ intent: "stripe.connect", apiKey: "", webhookSecret: "" });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ ok: false, message: "Check the highlighted fields.", fieldErrors: { apiKey: "Paste the restricted key", webhookSecret: "Paste the endpoint's signing secret" } });
    const secretKey = `sk_live_${alnum(32)}`;
    const swapped = await act({ intent: "stripe.connect", apiKey: secretKey, webhookSecret: apiKey });
    expect(swapped.body.fieldErrors).toEqual({ apiKey: expect.stringMatching(/^Use a restricted key/), webhookSecret: expect.stringMatching(/starts with whsec_/) });
    expect(swapped.text).not.toContain(secretKey.slice(8));
    expect(swapped.text).not.toContain(apiKey.slice(8));
    expect((await act({ intent: "stripe.retry", id: "not-an-id" })).status).toBe(400);
    expect((await act({ intent: "stripe.drop-everything" })).status).toBe(400);
    expect(await prisma.integration.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("lets only owners and admins connect or disconnect", async () => {
    const agent = await act({ intent: "stripe.connect", apiKey, webhookSecret }, DEMO_STAFF_USER_ID);
    expect(agent.status).toBe(403);
    expect(agent.body.message).toBe("Only the store's owners and admins can connect or disconnect Stripe.");
    expect((await act({ intent: "stripe.disconnect" }, DEMO_STAFF_USER_ID)).status).toBe(403);
    expect(await prisma.integration.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("never sends the key, the signing secret or their encrypted form to the browser once connected", async () => {
    // Connected against the local Stripe server (the route itself would call api.stripe.com).
    expect(await connectStripe(prisma, shop.id, { apiKey, webhookSecret }, { encryptionKey: DEV_ENCRYPTION_KEY, appUrl: "https://shopdesk.example", api: { apiBase: stripe.url } })).toEqual({ ok: true, mode: "live" });
    const stored = (await prisma.integration.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "stripe" } } })).encryptedCredentials!;
    const data = await load();
    expect(JSON.parse(data).stripe).toMatchObject({ status: "connected", mode: "live" });
    for (const secret of [apiKey, webhookSecret, stored, apiKey.slice(-10), webhookSecret.slice(-10)]) expect(data).not.toContain(secret);

    const disconnected = await act({ intent: "stripe.disconnect" });
    expect(disconnected).toMatchObject({ status: 200, body: { ok: true } });
    for (const secret of [apiKey, webhookSecret, stored]) expect(disconnected.text).not.toContain(secret);
    expect(JSON.parse(await load()).stripe.status).toBe("not_connected");
    expect((await act({ intent: "stripe.disconnect" })).body).toMatchObject({ ok: false, message: "Stripe is not connected." });
  });
});
