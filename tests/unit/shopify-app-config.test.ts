import { existsSync, readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { APP_SCOPES, WEBHOOK_API_VERSION } from "~/lib/shopify/config";

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

/** The Remix route file that serves a path like /webhooks/orders/create (flat routes: dots for slashes). */
function routeFileFor(uri: string) {
  return `app/routes/${uri.replace(/^\//, "").replaceAll("/", ".")}.tsx`;
}

describe("shopify.app.toml", () => {
  it("asks for exactly the scopes the app is configured with", () => {
    expect(toml.access_scopes.scopes.split(",").sort()).toEqual([...APP_SCOPES].sort());
  });

  it("subscribes webhooks with the API version the app uses", () => {
    expect(toml.webhooks.api_version).toBe(WEBHOOK_API_VERSION);
  });

  it("names a handler route for every subscription, one topic per route", () => {
    for (const subscription of toml.webhooks.subscriptions) {
      const topics = [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])];
      expect(topics).toHaveLength(1);
      expect(subscription.uri).toBe(`/webhooks/${topics[0]}`);
      const file = routeFileFor(subscription.uri);
      expect(existsSync(file), `${file} handles ${topics[0]}`).toBe(true);
      expect(readFileSync(file, "utf8")).toContain(`"${topics[0]}"`);
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
