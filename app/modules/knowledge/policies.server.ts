import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { queueReindex, sourceContentHash } from "./sources.server";

/**
 * The shop's legal policies (refund, shipping, privacy, terms…) from Shopify's Admin GraphQL API, kept as
 * knowledge sources of kind "policy" (external id = the policy type), so the assistant quotes the merchant's own
 * words. In the demo they come from the seed instead.
 */

export const SHOP_POLICIES_QUERY = `#graphql
  query ShopPolicies {
    shop {
      shopPolicies { type title body url }
    }
  }`;

const PoliciesResponse = z.object({
  data: z
    .object({
      shop: z.object({
        shopPolicies: z.array(z.object({ type: z.string(), title: z.string(), body: z.string(), url: z.string().nullish() })),
      }),
    })
    .nullish(),
  errors: z.unknown().optional(),
});

/** Runs one Admin GraphQL query and returns its JSON body (admin.graphql(...).json(), or an admin API client). */
export type AdminGraphql = (query: string) => Promise<unknown>;

const POLICY_IDS: Record<string, string> = {
  REFUND_POLICY: "refund",
  SHIPPING_POLICY: "shipping",
  PRIVACY_POLICY: "privacy",
  TERMS_OF_SERVICE: "terms",
  TERMS_OF_SALE: "terms-of-sale",
  LEGAL_NOTICE: "legal-notice",
  SUBSCRIPTION_POLICY: "subscription",
  CONTACT_INFORMATION: "contact",
};

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: " " };

/** Shopify stores policies as HTML; knowledge is Markdown (headings matter to chunking). */
export function policyHtmlToMarkdown(html: string) {
  return html
    .replace(/\r\n?/g, "\n")
    .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_, level: string, text: string) => `\n\n${"#".repeat(Number(level))} ${text.trim()}\n\n`)
    .replace(/<li[^>]*>/gi, "\n- ")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|ul|ol|table|tr)>/gi, "\n\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export async function syncShopPolicies(shopId: string, graphql: AdminGraphql, db: PrismaClient = prisma) {
  const response = PoliciesResponse.parse(await graphql(SHOP_POLICIES_QUERY));
  if (!response.data) throw new Error(`Shopify did not return the shop's policies: ${JSON.stringify(response.errors ?? "no data")}`);
  const policies = response.data.shop.shopPolicies
    .map((policy) => ({ ...policy, externalId: POLICY_IDS[policy.type] ?? policy.type.toLowerCase(), body: policyHtmlToMarkdown(policy.body) }))
    .filter((policy) => policy.body.length > 0);
  const existing = await db.knowledgeSource.findMany({ where: { shopId, kind: "policy" } });
  let changed = 0;
  for (const policy of policies) {
    const current = existing.find((source) => source.externalId === policy.externalId);
    const content = { title: policy.title, body: policy.body, tags: ["policy"], language: current?.language ?? "en" };
    const contentHash = sourceContentHash(content);
    if (current?.contentHash === contentHash) continue;
    changed++;
    await db.$transaction(async (tx) => {
      const source = current
        ? await tx.knowledgeSource.update({ where: { id: current.id }, data: { ...content, contentHash, version: current.version + 1 } })
        : await tx.knowledgeSource.create({
            data: { shopId, kind: "policy", externalId: policy.externalId, ...content, contentHash, status: "published", publishedAt: new Date() },
          });
      await tx.knowledgeSourceVersion.create({
        data: { sourceId: source.id, version: source.version, title: content.title, body: content.body, tags: content.tags, editedBy: "Shopify policies" },
      });
      await queueReindex(tx, shopId, source.id);
    });
  }
  // A policy the merchant removed in Shopify stops being knowledge.
  const current = new Set(policies.map((policy) => policy.externalId));
  const removed = existing.filter((source) => !current.has(source.externalId ?? "")).map((source) => source.id);
  if (removed.length > 0) await db.knowledgeSource.deleteMany({ where: { shopId, id: { in: removed } } });
  return { policies: policies.length, changed, removed: removed.length };
}

export const SYNC_POLICIES_JOB = "knowledge.sync-policies";

/** Job handler: the shop's offline session gives an Admin API client; no request needed. */
export function syncPoliciesJob(adminFor: (shopDomain: string) => Promise<AdminGraphql>) {
  return async (job: Job) => {
    const { shopDomain } = z.object({ shopDomain: z.string() }).parse(job.payload);
    const shop = await prisma.shop.findUnique({ where: { domain: shopDomain } });
    if (!shop || shop.uninstalledAt) return;
    await syncShopPolicies(shop.id, await adminFor(shopDomain));
  };
}
