import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdminApiClient } from "@shopify/admin-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { policyHtmlToMarkdown, syncShopPolicies } from "~/modules/knowledge";
import { WEBHOOK_API_VERSION } from "~/lib/shopify/config";
import { createTestShop, deleteTestShop } from "../support/shops";

/** A local stand-in for the shop's Admin GraphQL endpoint (POST /admin/api/<version>/graphql.json). */
function adminServer(policies: () => unknown[]) {
  const seen: { path: string; token?: string; query: string }[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string };
    seen.push({ path: request.url ?? "", token: request.headers["x-shopify-access-token"] as string | undefined, query: body.query });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ data: { shop: { shopPolicies: policies() } }, extensions: { cost: { requestedQueryCost: 1 } } }));
  });
  return { server, seen };
}

describe("shop policies from the Admin API", () => {
  let shopId: string;
  let domain: string;
  let current: unknown[] = [];
  const { server, seen } = adminServer(() => current);
  let client: ReturnType<typeof createAdminApiClient>;

  beforeAll(async () => {
    const shop = await createTestShop("Policy shop");
    shopId = shop.id;
    domain = shop.domain;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    // The official client, its requests sent to the local server instead of https://<shop>.
    client = createAdminApiClient({
      storeDomain: domain,
      apiVersion: WEBHOOK_API_VERSION,
      accessToken: "shpat_local_test",
      customFetchApi: (url, init) => fetch(String(url).replace(`https://${domain}`, `http://127.0.0.1:${port}`), init),
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deleteTestShop(domain);
  });

  const graphql = async (query: string) => {
    const { data, errors } = await client.request(query);
    return { data, errors };
  };

  it("turns the shop's policies into published policy sources, and follows edits and removals", async () => {
    current = [
      { type: "REFUND_POLICY", title: "Refund policy", body: "<h2>Returns</h2><p>Send items back within <strong>30 days</strong> &amp; get a full refund.</p>", url: "https://x/policies/refund-policy" },
      { type: "SHIPPING_POLICY", title: "Shipping policy", body: "<p>We ship worldwide.</p><ul><li>US: 3–5 days</li><li>EU: 7–10 days</li></ul>", url: null },
      { type: "PRIVACY_POLICY", title: "Privacy policy", body: "", url: null },
    ];
    expect(await syncShopPolicies(shopId, graphql)).toEqual({ policies: 2, changed: 2, removed: 0 });
    expect(seen[0]).toMatchObject({ path: `/admin/api/${WEBHOOK_API_VERSION}/graphql.json`, token: "shpat_local_test" });
    const refund = await prisma.knowledgeSource.findFirstOrThrow({ where: { shopId, kind: "policy", externalId: "refund" } });
    expect(refund).toMatchObject({ status: "published", title: "Refund policy" });
    expect(refund.body).toBe("## Returns\n\nSend items back within 30 days & get a full refund.");
    expect(await prisma.job.count({ where: { shopId, name: "knowledge.reindex" } })).toBe(2);

    // Unchanged: nothing to do. Edited: a new version. Removed in Shopify: gone from knowledge.
    expect((await syncShopPolicies(shopId, graphql)).changed).toBe(0);
    current = [{ ...(current[0] as object), body: "<p>Send items back within 60 days.</p>" }];
    expect(await syncShopPolicies(shopId, graphql)).toEqual({ policies: 1, changed: 1, removed: 1 });
    const edited = await prisma.knowledgeSource.findFirstOrThrow({ where: { shopId, externalId: "refund" }, include: { versions: true } });
    expect(edited.version).toBe(2);
    expect(edited.versions).toHaveLength(2);
    expect(await prisma.knowledgeSource.count({ where: { shopId, externalId: "shipping" } })).toBe(0);
  });

  it("converts policy HTML to Markdown that keeps headings and lists", () => {
    expect(policyHtmlToMarkdown("<h1>Terms</h1><p>Line one<br>line two</p><ol><li>First</li><li>Second</li></ol><p>&quot;Quoted&quot; &#8212; done</p>")).toBe(
      '# Terms\n\nLine one\nline two\n\n- First\n- Second\n\n"Quoted" — done',
    );
  });
});
