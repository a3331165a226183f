import { createHmac } from "node:crypto";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_KEY, DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { installDemoSession } from "~/modules/demo";
import { appProxyQuery, DEMO_STAFF_USER_ID, embeddedAdminUrl, signSessionToken } from "~/modules/demo";
import { APP_SCOPES, authenticate, sessionStorage } from "~/shopify.server";
import { createTestShop, deleteTestShop } from "../support/shops";

const APP_URL = "http://localhost:3000";

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("expected the request to be rejected");
}

describe("Shopify authentication", () => {
  let domain: string;
  beforeAll(async () => {
    domain = (await createTestShop()).domain;
    await installDemoSession(prisma, domain, APP_SCOPES);
  });
  afterAll(() => deleteTestShop(domain));

  describe("admin session tokens", () => {
    it("accepts a document request carrying a session token signed with the app secret", async () => {
      const url = await embeddedAdminUrl({ appUrl: APP_URL, path: "/app", shopDomain: domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: DEV_SHOPIFY_API_SECRET });
      const { session } = await authenticate.admin(new Request(url));
      expect(session.shop).toBe(domain);
      // The staff member's online session; the shop's offline one stays for background work.
      expect(session.isOnline).toBe(true);
      expect(session.id).toBe(`${domain}_${DEMO_STAFF_USER_ID}`);
      expect((await sessionStorage.loadSession(`offline_${domain}`))?.isOnline).toBe(false);
    });

    it("accepts the token Shopify's own test helper builds (same wire format)", async () => {
      // The helper's user signed in before: their online session is stored (no token exchange).
      await sessionStorage.storeSession(setUpValidSession({ shop: domain, isOnline: true }));
      const request = await setUpValidRequest(
        { type: RequestType.Bearer, store: domain.replace(".myshopify.com", ""), apiKey: DEV_SHOPIFY_API_KEY, apiSecretKey: DEV_SHOPIFY_API_SECRET },
        new Request(`${APP_URL}/app?_data=routes%2Fapp._index`),
      );
      const { session } = await authenticate.admin(request);
      expect(session.shop).toBe(domain);
    });

    it("sends a request without a token to the login page instead of serving it", async () => {
      const response = await rejection(authenticate.admin(new Request(`${APP_URL}/app?_data=routes%2Fapp._index`)));
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/\/auth\/login/);
    });

    it("rejects a token signed with another secret", async () => {
      const token = await signSessionToken({ shopDomain: domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: "not-the-app-secret" });
      const response = await rejection(
        authenticate.admin(new Request(`${APP_URL}/app?_data=x`, { headers: { Authorization: `Bearer ${token}` } })),
      );
      expect(response.status).toBe(401);
    });

    it("rejects a token issued for another app", async () => {
      const token = await signSessionToken({ shopDomain: domain, apiKey: "another-app", apiSecret: DEV_SHOPIFY_API_SECRET });
      const response = await rejection(
        authenticate.admin(new Request(`${APP_URL}/app?_data=x`, { headers: { Authorization: `Bearer ${token}` } })),
      );
      expect(response.status).toBe(401);
    });

    it("does not serve a document request with a forged id_token", async () => {
      const url = await embeddedAdminUrl({ appUrl: APP_URL, path: "/app", shopDomain: domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: "forged" });
      const response = await rejection(authenticate.admin(new Request(url)));
      // The library bounces to the session-token page to fetch a fresh token instead of serving the page.
      expect([302, 401]).toContain(response.status);
      if (response.status === 302) expect(response.headers.get("location")).toContain("/auth/session-token");
    });
  });

  describe("app proxy signatures", () => {
    const proxyUrl = (query: URLSearchParams) => new Request(`${APP_URL}/proxy/widget-config?${query.toString()}`);
    const signed = (overrides: { secret?: string; timestamp?: number } = {}) =>
      appProxyQuery({
        search: new URLSearchParams({ locale: "en" }),
        shopDomain: domain,
        apiSecret: overrides.secret ?? DEV_SHOPIFY_API_SECRET,
        loggedInCustomerId: "123",
        timestamp: overrides.timestamp,
      });

    it("accepts a request signed like Shopify's app proxy", async () => {
      const context = await authenticate.public.appProxy(proxyUrl(signed()));
      expect(context.session?.shop).toBe(domain);
    });

    it("accepts the signature Shopify's own test helper builds", async () => {
      const request = await setUpValidRequest(
        { type: RequestType.Public, store: domain.replace(".myshopify.com", ""), apiSecretKey: DEV_SHOPIFY_API_SECRET },
        new Request(`${APP_URL}/proxy/widget-config`),
      );
      await expect(authenticate.public.appProxy(request)).resolves.toBeTruthy();
    });

    it("rejects a wrong signature, a tampered parameter, a missing signature and a stale timestamp", async () => {
      const wrongSecret = signed({ secret: "not-the-app-secret" });
      const tampered = signed();
      tampered.set("logged_in_customer_id", "999");
      const missing = signed();
      missing.delete("signature");
      const stale = signed({ timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
      for (const query of [wrongSecret, tampered, missing, stale]) {
        const response = await rejection(authenticate.public.appProxy(proxyUrl(query)));
        expect(response.status).toBe(400);
      }
    });
  });

  describe("webhook HMAC", () => {
    const webhook = (body: string, secret = DEV_SHOPIFY_API_SECRET) =>
      new Request(`${APP_URL}/webhooks/app/uninstalled`, {
        method: "POST",
        body,
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": "app/uninstalled",
          "X-Shopify-Shop-Domain": domain,
          "X-Shopify-API-Version": "2026-10",
          "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
          "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body).digest("base64"),
        },
      });

    it("accepts a body signed with the app secret", async () => {
      const context = await authenticate.webhook(webhook(JSON.stringify({ id: 1 })));
      expect(context.shop).toBe(domain);
    });

    it("answers 401 to a wrong HMAC", async () => {
      const response = await rejection(authenticate.webhook(webhook(JSON.stringify({ id: 1 }), "wrong-secret")));
      expect(response.status).toBe(401);
    });
  });
});
