import { afterAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_KEY, DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { DEMO_STAFF_USER, installDemoSession, signSessionToken } from "~/modules/demo";
import { action as editAction } from "~/routes/app.knowledge.$id";
import { action as newAction } from "~/routes/app.knowledge.new";
import { APP_SCOPES } from "~/shopify.server";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * The knowledge version history says who made each edit by the staff member's name from the staff directory
 * (what authenticateStaff resolves), never by the Shopify user id ("Staff #4200001") when the session carries
 * no profile. Real route actions, a session token signed as Shopify signs it, authenticate.admin.
 */
const APP_URL = "http://localhost:3000";

async function post(domain: string, path: string, form: Record<string, string>, userId: string) {
  const token = await signSessionToken({ shopDomain: domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: DEV_SHOPIFY_API_SECRET, userId });
  return new Request(`${APP_URL}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
}

async function versions(shopId: string) {
  return prisma.knowledgeSourceVersion.findMany({ where: { source: { shopId } }, orderBy: { version: "asc" }, select: { version: true, editedBy: true } });
}

describe("knowledge edits are attributed to the staff member by name", () => {
  const shops: { id: string; domain: string }[] = [];

  afterAll(async () => {
    await prisma.job.deleteMany({ where: { shopId: { in: shops.map((shop) => shop.id) } } });
    for (const shop of shops) await deleteTestShop(shop.domain);
  });

  it("names the editor from Shopify's profile, and from the staff directory when the session carries no profile", async () => {
    const shop = await createTestShop();
    shops.push(shop);
    await installDemoSession(prisma, shop.domain, APP_SCOPES);

    const created = await newAction({
      request: await post(shop.domain, "/app/knowledge/new", { title: "Gift wrapping", body: "We wrap any order for $5.", tags: "", language: "en", intent: "publish" }, DEMO_STAFF_USER.id),
      params: {},
      context: {},
    });
    expect(created.status).toBe(302);
    const sourceId = created.headers.get("Location")?.match(/\/app\/knowledge\/([^?]+)/)?.[1];
    expect(sourceId).toBeTruthy();
    expect(await versions(shop.id)).toEqual([{ version: 1, editedBy: "Alex Rivera" }]);

    // A colleague whose online session holds only the user id (no profile), but whom the staff directory knows.
    const userId = "4200010";
    await prisma.staffMember.create({ data: { shopId: shop.id, shopifyUserId: userId, name: "Jordan Lee", email: "jordan@example.com", role: "agent" } });
    await prisma.session.create({
      data: { id: `${shop.domain}_${userId}`, shop: shop.domain, state: "", isOnline: true, scope: APP_SCOPES.join(","), accessToken: "online-token", expires: new Date(Date.now() + 3_600_000), userId: BigInt(userId) },
    });
    const edited = await editAction({
      request: await post(shop.domain, `/app/knowledge/${sourceId}`, { title: "Gift wrapping", body: "We wrap any order for $6.", tags: "", language: "en", intent: "save" }, userId),
      params: { id: sourceId as string },
      context: {},
    });
    expect(edited.status).toBe(200);
    const history = await versions(shop.id);
    expect(history).toEqual([
      { version: 1, editedBy: "Alex Rivera" },
      { version: 2, editedBy: "Jordan Lee" },
    ]);
    expect(history.map((version) => version.editedBy).join(" ")).not.toMatch(/Staff|\d{7}/);
  });
});
