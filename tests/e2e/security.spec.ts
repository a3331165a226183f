import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";

const SHOP = "shopdesk-demo.myshopify.com";

test.describe("requests the app must refuse (real HTTP)", () => {
  test("admin data without a session token is not served", async ({ request }) => {
    const response = await request.get("/app?_data=routes%2Fapp._index", { maxRedirects: 0 });
    expect(response.status()).not.toBe(200);
    expect(await response.text()).not.toContain("orders");
  });

  test("admin data with a forged bearer token gets 401", async ({ request }) => {
    const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const claims = Buffer.from(
      JSON.stringify({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: "shopdesk-dev-api-key", sub: "1", exp: now + 60, nbf: now - 5, iat: now }),
    ).toString("base64url");
    const signature = createHmac("sha256", "guessed-secret").update(`${header}.${claims}`).digest("base64url");
    const response = await request.get("/app?_data=routes%2Fapp._index", {
      headers: { Authorization: `Bearer ${header}.${claims}.${signature}` },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(401);
  });

  test("the app proxy refuses unsigned and wrongly signed requests", async ({ request }) => {
    const unsigned = await request.get(`/proxy/widget-config?shop=${SHOP}&timestamp=${Math.floor(Date.now() / 1000)}`);
    expect(unsigned.status()).toBe(400);
    const params = new URLSearchParams({ shop: SHOP, path_prefix: "/apps/shopdesk", timestamp: String(Math.floor(Date.now() / 1000)), logged_in_customer_id: "" });
    params.set("signature", "0".repeat(64));
    const forged = await request.get(`/proxy/widget-config?${params}`);
    expect(forged.status()).toBe(400);
    // The same request through the storefront's proxy path is signed by the local app-proxy signer and served.
    const proxied = await request.get("/apps/shopdesk/widget-config");
    expect(proxied.status()).toBe(200);
    expect(await proxied.json()).toMatchObject({ shopName: "Northwind Outfitters" });
  });

  test("webhooks with a wrong HMAC get 401", async ({ request }) => {
    const body = JSON.stringify({ shop_domain: SHOP });
    const response = await request.post("/webhooks/shop/redact", {
      data: body,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "shop/redact",
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": "e2e-forged",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", "wrong").update(body).digest("base64"),
      },
    });
    expect(response.status()).toBe(401);
  });
});
