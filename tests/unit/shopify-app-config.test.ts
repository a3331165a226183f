import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { APP_SCOPES, WEBHOOK_API_VERSION, WEBHOOK_TOPICS } from "~/lib/shopify/config";
import { createShopifyWebhookHandler } from "~/modules/commerce";

const AppToml = z.object({
  access_scopes: z.object({ scopes: z.string() }),
  webhooks: z.object({
    api_version: z.string(),
    subscriptions: z.array(
      z.object({ topics: z.array(z.string()).optional(), compliance_topics: z.array(z.string()).optional(), uri: z.string() }),
    ),
  }),
  app_proxy: z.object({ url: z.string().url(), prefix: z.string(), subpath: z.string() }),
});
const toml = AppToml.parse(parse(readFileSync("shopify.app.toml", "utf8")));

describe("shopify.app.toml", () => {
  it("asks for exactly the scopes the app is configured with", () => {
    expect(toml.access_scopes.scopes.split(",").sort()).toEqual([...APP_SCOPES].sort());
  });

  it("subscribes webhooks with the API version the app uses", () => {
    expect(toml.webhooks.api_version).toBe(WEBHOOK_API_VERSION);
  });

  it("delivers each subscription to /webhooks/<topic>, one topic per subscription, exactly the topics the handler serves", () => {
    const subscribed = toml.webhooks.subscriptions.map((subscription) => {
      const topics = [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])];
      expect(topics).toHaveLength(1);
      expect(subscription.uri).toBe(`/webhooks/${topics[0]}`);
      return topics[0]!;
    });
    expect([...WEBHOOK_TOPICS].sort()).toEqual(subscribed.sort());
  });

  it("the webhook handler built with that list takes every subscribed uri (401 unsigned) and no other (404)", async () => {
    const server = createServer(createShopifyWebhookHandler({ apiSecret: "unit-test-secret", topics: WEBHOOK_TOPICS }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = async (uri: string) => (await fetch(`${origin}${uri}`, { method: "POST", body: "{}" })).status;
    try {
      for (const subscription of toml.webhooks.subscriptions) expect(await post(subscription.uri), subscription.uri).toBe(401);
      expect(await post("/webhooks/orders/paid")).toBe(404);
      expect(await post("/webhooks/")).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("subscribes the three mandatory compliance topics", () => {
    const compliance = toml.webhooks.subscriptions.flatMap((subscription) => subscription.compliance_topics ?? []);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
  });

  it("serves the storefront's /apps/shopdesk through the app's proxy routes", () => {
    expect(toml.app_proxy).toMatchObject({ prefix: "apps", subpath: "shopdesk" });
    expect(new URL(toml.app_proxy.url).pathname).toBe("/proxy");
    expect(existsSync("app/routes/proxy.widget-config.tsx")).toBe(true);
  });
});
