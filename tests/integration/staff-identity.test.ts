import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_KEY, DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { DEMO_STAFF_USER, embeddedAdminUrl, installDemoSession, signSessionToken } from "~/modules/demo";
import { SYNC_POLICIES_JOB } from "~/modules/knowledge";
import { getStaffMember, listStaff, StaffError, setStaffAvailability, upsertStaffFromSession } from "~/modules/staff";
import { APP_SCOPES, sessionStorage } from "~/shopify.server";
import { createTestShop, deleteTestShop } from "../support/shops";
import { routeShopifyCallsTo, startTokenExchangeServer, type TokenExchangeServer } from "../support/token-exchange-server";

/**
 * Staff identity through the real door: a Remix loader request carrying an admin session token signed as Shopify
 * signs it → authenticate.admin (online sessions) → authenticateStaff → StaffMember. Shopify's token exchange is
 * a local server speaking its wire format; every other network call is refused.
 */
const APP_URL = "http://localhost:3000";
const DEMO_USER = DEMO_STAFF_USER.id;

/** What an inbox route's loader does first. */
async function inboxLoader({ request }: LoaderFunctionArgs) {
  const { shop, staff, session, sessionToken } = await authenticateStaff(request);
  return Response.json({ shop, staff, sessionId: session.id, sub: sessionToken.sub });
}

interface LoaderBody {
  shop: { id: string; domain: string; name: string; timezone: string; currency: string };
  staff: { id: string; name: string; email: string; role: string };
  sessionId: string;
  sub: string;
}

async function load(request: Request): Promise<LoaderBody> {
  const response = await inboxLoader({ request, params: {}, context: {} });
  expect(response.status).toBe(200);
  return (await response.json()) as LoaderBody;
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("expected the request to be rejected");
}

/** A data request from the embedded admin: App Bridge's bearer session token. */
async function adminRequest(domain: string, options: { userId?: string; secret?: string; search?: string; headers?: Record<string, string> } = {}) {
  const token = await signSessionToken({ shopDomain: domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: options.secret ?? DEV_SHOPIFY_API_SECRET, userId: options.userId });
  return new Request(`${APP_URL}/app/inbox?_data=routes%2Fapp.inbox${options.search ?? ""}`, {
    headers: { Authorization: `Bearer ${token}`, ...options.headers },
  });
}

const staffRows = (shopId: string, shopifyUserId?: string) => prisma.staffMember.findMany({ where: { shopId, ...(shopifyUserId ? { shopifyUserId } : {}) } });

describe("staff identity from the admin session token", () => {
  const shops: { id: string; domain: string }[] = [];
  let exchangeShop: { id: string; domain: string };
  let server: TokenExchangeServer;
  let restoreFetch: () => void;

  async function demoShop() {
    const shop = await createTestShop();
    shops.push(shop);
    await installDemoSession(prisma, shop.domain, APP_SCOPES);
    return shop;
  }

  beforeAll(async () => {
    server = await startTokenExchangeServer({
      apiKey: DEV_SHOPIFY_API_KEY,
      apiSecret: DEV_SHOPIFY_API_SECRET,
      scope: APP_SCOPES.join(","),
      users: [{ id: 4200777, first_name: "Sam", last_name: "Okafor", email: "Sam.Okafor@example.com", account_owner: true }],
    });
    exchangeShop = await createTestShop();
    shops.push(exchangeShop);
    // Only the shop of the token-exchange test may reach "Shopify"; the demo sessions must need no network.
    restoreFetch = routeShopifyCallsTo(server, () => [exchangeShop.domain]);
  });

  afterAll(async () => {
    restoreFetch();
    await server.close();
    await prisma.job.deleteMany({ where: { shopId: { in: shops.map((shop) => shop.id) } } });
    for (const shop of shops) await deleteTestShop(shop.domain);
  });

  it("creates the signed-in staff member once from the token's sub and Shopify's profile, then reuses it", async () => {
    const shop = await demoShop();
    const before = Date.now();
    const document = await embeddedAdminUrl({ appUrl: APP_URL, path: "/app/inbox", shopDomain: shop.domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: DEV_SHOPIFY_API_SECRET });
    const first = await load(new Request(document));
    expect(first.sub).toBe(DEMO_USER);
    expect(first.sessionId).toBe(`${shop.domain}_${DEMO_USER}`);
    expect(first.shop).toEqual({ id: shop.id, domain: shop.domain, name: "Test shop", timezone: "UTC", currency: "USD" });
    expect(first.staff).toMatchObject({ name: "Alex Rivera", email: DEMO_STAFF_USER.email, role: "agent" });

    const [row] = await staffRows(shop.id);
    expect(row).toMatchObject({ id: first.staff.id, shopifyUserId: DEMO_USER, active: true, available: true });
    expect(row?.lastSeenAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const second = await load(await adminRequest(shop.domain));
    expect(second.staff).toEqual(first.staff);
    expect(await staffRows(shop.id)).toHaveLength(1);
    expect(server.calls).toHaveLength(0);
  });

  it("makes one staff member of first requests that arrive together", async () => {
    const shop = await demoShop();
    const bodies = await Promise.all(Array.from({ length: 6 }, async () => load(await adminRequest(shop.domain))));
    expect(new Set(bodies.map((body) => body.staff.id)).size).toBe(1);
    expect(await staffRows(shop.id)).toHaveLength(1);
  });

  it("takes the identity only from the verified session token, never from what the client sends", async () => {
    const shop = await demoShop();
    const alex = (await load(await adminRequest(shop.domain))).staff;
    const priya = await prisma.staffMember.create({ data: { shopId: shop.id, email: "priya@example.com", name: "Priya Raman", role: "owner" } });

    const spoofed = await load(
      await adminRequest(shop.domain, { search: `&staffId=${priya.id}`, headers: { "X-Shopdesk-Staff-Id": priya.id, "X-Shopify-User-Id": "1" } }),
    );
    expect(spoofed.staff).toEqual(alex);

    const forged = await rejection(inboxLoader({ request: await adminRequest(shop.domain, { userId: "4200099", secret: "not-the-app-secret" }), params: {}, context: {} }));
    expect(forged.status).toBe(401);
    expect(await staffRows(shop.id, "4200099")).toHaveLength(0);
  });

  it("never returns another shop's staff", async () => {
    const shopA = await demoShop();
    const shopB = await demoShop();
    // The same Shopify user working for two shops is a separate staff member in each.
    const inA = (await load(await adminRequest(shopA.domain))).staff;
    const inB = (await load(await adminRequest(shopB.domain))).staff;
    expect(inA.id).not.toBe(inB.id);

    expect((await listStaff(prisma, shopA.id)).map((member) => member.id)).toEqual([inA.id]);
    expect((await listStaff(prisma, shopB.id)).map((member) => member.id)).toEqual([inB.id]);
    expect(await getStaffMember(prisma, shopA.id, inB.id)).toBeNull();
    expect(await getStaffMember(prisma, shopB.id, inB.id)).toMatchObject({ id: inB.id, shopifyUserId: DEMO_USER, name: "Alex Rivera" });

    const refused = await setStaffAvailability(prisma, { shopId: shopA.id, staffId: inB.id, available: false }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StaffError);
    expect(refused).toMatchObject({ status: 404, field: "staffId" });
    expect((await getStaffMember(prisma, shopB.id, inB.id))?.available).toBe(true);
  });

  it("lets the Shopify user with an invited member's email claim that member on first sign-in", async () => {
    const shop = await demoShop();
    const invited = await prisma.staffMember.create({
      data: { shopId: shop.id, email: DEMO_STAFF_USER.email.toUpperCase(), name: "Alex (invited)", role: "admin", available: false },
    });
    const { staff } = await load(await adminRequest(shop.domain));
    expect(staff.id).toBe(invited.id);
    expect(staff).toMatchObject({ name: "Alex Rivera", role: "admin" });
    const rows = await staffRows(shop.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ shopifyUserId: DEMO_USER, available: false });
  });

  it("names a staff member whose session carries no profile with a placeholder, replaced once Shopify names them", async () => {
    const shop = await demoShop();
    const sessionId = `${shop.domain}_4200009`;
    // An online session row holding only the user id, as the session storage keeps one with no profile.
    await prisma.session.create({
      data: { id: sessionId, shop: shop.domain, state: "", isOnline: true, scope: APP_SCOPES.join(","), accessToken: "online-token", expires: new Date(Date.now() + 3_600_000), userId: 4200009n },
    });
    const first = await load(await adminRequest(shop.domain, { userId: "4200009" }));
    expect(first.staff).toMatchObject({ name: "Staff 4200009", email: "4200009@staff.invalid", role: "agent" });

    await prisma.session.update({ where: { id: sessionId }, data: { firstName: "Sam", lastName: "Chen", email: "sam.chen@example.com", accountOwner: true } });
    const second = await load(await adminRequest(shop.domain, { userId: "4200009" }));
    expect(second.staff).toEqual({ id: first.staff.id, name: "Sam Chen", email: "sam.chen@example.com", role: "owner" });
  });

  it("refuses a staff member the store turned off, without touching anyone else", async () => {
    const shop = await demoShop();
    const staff = (await load(await adminRequest(shop.domain))).staff;
    await prisma.staffMember.update({ where: { id: staff.id }, data: { active: false } });
    const refused = await rejection(inboxLoader({ request: await adminRequest(shop.domain), params: {}, context: {} }));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/turned off/);
    expect(await staffRows(shop.id)).toHaveLength(1);
  });

  it("toggles availability within the shop only, and validates the request", async () => {
    const shopA = await demoShop();
    const shopB = await demoShop();
    const inA = (await load(await adminRequest(shopA.domain))).staff;
    const inB = (await load(await adminRequest(shopB.domain))).staff;

    const away = await setStaffAvailability(prisma, { shopId: shopA.id, staffId: inA.id, available: false });
    expect(away).toMatchObject({ id: inA.id, available: false });
    expect(await listStaff(prisma, shopA.id)).toEqual([expect.objectContaining({ id: inA.id, available: false })]);
    expect(await listStaff(prisma, shopB.id)).toEqual([expect.objectContaining({ id: inB.id, available: true })]);
    expect(await setStaffAvailability(prisma, { shopId: shopA.id, staffId: inA.id, available: true })).toMatchObject({ available: true });

    const invalid = [
      [{ shopId: shopA.id, staffId: inA.id, available: "no" as unknown as boolean }, 400, "available"],
      [{ shopId: shopA.id, staffId: "not-an-id", available: true }, 400, "staffId"],
      [{ shopId: shopA.id, staffId: crypto.randomUUID(), available: true }, 404, "staffId"],
    ] as const;
    for (const [input, status, field] of invalid) {
      const error = await setStaffAvailability(prisma, input).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(StaffError);
      expect(error).toMatchObject({ status, field });
    }
  });

  it("exchanges the session token for offline and online tokens for a user never seen, once", async () => {
    const shop = exchangeShop;
    const request = await adminRequest(shop.domain, { userId: "4200777" });
    const token = request.headers.get("Authorization")?.replace("Bearer ", "");
    const first = await load(request);
    expect(first.staff).toMatchObject({ name: "Sam Okafor", email: "sam.okafor@example.com", role: "owner" });
    expect(first.sessionId).toBe(`${shop.domain}_4200777`);

    expect(server.calls.map((call) => [call.shop, call.body.requested_token_type, call.body.expiring])).toEqual([
      [shop.domain, "urn:shopify:params:oauth:token-type:offline-access-token", "1"],
      [shop.domain, "urn:shopify:params:oauth:token-type:online-access-token", "1"],
    ]);
    for (const call of server.calls) {
      expect(call.body).toMatchObject({ client_id: DEV_SHOPIFY_API_KEY, subject_token: token, subject_token_type: "urn:ietf:params:oauth:token-type:id_token" });
    }
    // Both sessions stored: the online one for this person, the offline one (with its refresh token) for jobs.
    const online = await prisma.session.findUniqueOrThrow({ where: { id: `${shop.domain}_4200777` } });
    expect(online).toMatchObject({ isOnline: true, userId: 4200777n, firstName: "Sam", email: "Sam.Okafor@example.com", accountOwner: true });
    const offline = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${shop.domain}` } });
    expect(offline).toMatchObject({ isOnline: false, userId: null });
    // The tokens are encrypted at rest (tests/integration/session-secrets.test.ts); the storage opens them.
    expect([online.accessToken, offline.accessToken, offline.refreshToken]).toEqual([expect.stringMatching(/^v1\./), expect.stringMatching(/^v1\./), expect.stringMatching(/^v1\./)]);
    expect((await sessionStorage.loadSession(online.id))?.accessToken).toMatch(/^shpua_/);
    const offlineSession = await sessionStorage.loadSession(offline.id);
    expect(offlineSession?.accessToken).toMatch(/^shpat_/);
    expect(offlineSession?.refreshToken).toMatch(/^shprt_/);
    // The install hook ran as on a real install.
    expect(await prisma.job.count({ where: { shopId: shop.id, name: SYNC_POLICIES_JOB } })).toBe(1);

    const again = await load(await adminRequest(shop.domain, { userId: "4200777" }));
    expect(again.staff).toEqual(first.staff);
    expect(server.calls).toHaveLength(2);
  });

  it("attributes nothing to a user Shopify refuses to exchange a token for", async () => {
    const response = await rejection(inboxLoader({ request: await adminRequest(exchangeShop.domain, { userId: "4200888" }), params: {}, context: {} }));
    // The library asks App Bridge to retry with a fresh token.
    expect(response.status).toBe(401);
    expect(response.headers.get("X-Shopify-Retry-Invalid-Session-Request")).toBe("1");
    expect(server.calls.at(-1)?.body.requested_token_type).toBe("urn:shopify:params:oauth:token-type:online-access-token");
    expect(await staffRows(exchangeShop.id, "4200888")).toHaveLength(0);
    expect(await prisma.session.findUnique({ where: { id: `${exchangeShop.domain}_4200888` } })).toBeNull();
  });
});

describe("upsertStaffFromSession", () => {
  let shop: { id: string; domain: string };
  beforeAll(async () => {
    shop = await createTestShop();
  });
  afterAll(() => deleteTestShop(shop.domain));

  it("makes one row of concurrent first sightings, and one claim of an invitation", async () => {
    const sighting = () => upsertStaffFromSession(prisma, { shopId: shop.id, shopifyUserId: "401", name: "Rae", email: "rae@example.com" });
    const created = await Promise.all(Array.from({ length: 8 }, sighting));
    expect(new Set(created.map((staff) => staff.id)).size).toBe(1);
    expect(await staffRows(shop.id, "401")).toHaveLength(1);

    const invited = await prisma.staffMember.create({ data: { shopId: shop.id, email: "kai@example.com", name: "Kai (invited)" } });
    const claim = () => upsertStaffFromSession(prisma, { shopId: shop.id, shopifyUserId: "402", name: "Kai", email: "kai@example.com" });
    const claimed = await Promise.all(Array.from({ length: 8 }, claim));
    expect(claimed.map((staff) => staff.id)).toEqual(Array(8).fill(invited.id));
    expect(await prisma.staffMember.count({ where: { shopId: shop.id, email: { in: ["kai@example.com", "402@staff.invalid"] } } })).toBe(1);
  });

  it("never hands one Shopify user's email to another: the newcomer gets the placeholder address", async () => {
    const first = await upsertStaffFromSession(prisma, { shopId: shop.id, shopifyUserId: "501", name: "Dana One", email: "dana@example.com" });
    const second = await upsertStaffFromSession(prisma, { shopId: shop.id, shopifyUserId: "502", name: "Dana Two", email: "Dana@example.com" });
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ shopifyUserId: "502", name: "Dana Two", email: "502@staff.invalid" });
    expect(await getStaffMember(prisma, shop.id, first.id)).toMatchObject({ email: "dana@example.com", name: "Dana One" });
  });

  it("gives the owner role to Shopify's account owner and takes it back when they no longer are", async () => {
    const input = { shopId: shop.id, shopifyUserId: "601", name: "Owen Owner", email: "owen@example.com" };
    expect(await upsertStaffFromSession(prisma, { ...input, accountOwner: true })).toMatchObject({ role: "owner" });
    // No profile (offline-only): Shopify said nothing, nothing changes.
    expect(await upsertStaffFromSession(prisma, { shopId: shop.id, shopifyUserId: "601" })).toMatchObject({ role: "owner", name: "Owen Owner" });
    expect(await upsertStaffFromSession(prisma, { ...input, accountOwner: false })).toMatchObject({ role: "agent" });

    const admin = await prisma.staffMember.create({ data: { shopId: shop.id, shopifyUserId: "602", email: "ada@example.com", name: "Ada", role: "admin" } });
    expect(await upsertStaffFromSession(prisma, { shopId: shop.id, shopifyUserId: "602", accountOwner: false })).toMatchObject({ id: admin.id, role: "admin" });
  });

  it("writes lastSeenAt at most once a minute unless something changed", async () => {
    const t0 = new Date("2026-03-01T10:00:00Z");
    const input = { shopId: shop.id, shopifyUserId: "701", name: "Lee", email: "lee@example.com" };
    const created = await upsertStaffFromSession(prisma, input, t0);
    const soon = await upsertStaffFromSession(prisma, input, new Date(t0.getTime() + 30_000));
    expect(soon.lastSeenAt).toEqual(t0);
    const renamed = await upsertStaffFromSession(prisma, { ...input, name: "Lee Park" }, new Date(t0.getTime() + 40_000));
    expect(renamed).toMatchObject({ id: created.id, name: "Lee Park", lastSeenAt: new Date(t0.getTime() + 40_000) });
    const later = await upsertStaffFromSession(prisma, input, new Date(t0.getTime() + 120_000));
    expect(later.lastSeenAt).toEqual(new Date(t0.getTime() + 120_000));
  });

  it("refuses malformed input with a 400 naming the field", async () => {
    for (const [input, field] of [
      [{ shopId: shop.id, shopifyUserId: "gid://shopify/StaffMember/1" }, "shopifyUserId"],
      [{ shopId: shop.id, shopifyUserId: "801", email: "not an email" }, "email"],
      [{ shopId: "shop-1", shopifyUserId: "801" }, "shopId"],
    ] as const) {
      const error = await upsertStaffFromSession(prisma, input).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(StaffError);
      expect(error).toMatchObject({ status: 400, field });
    }
    expect(await staffRows(shop.id, "801")).toHaveLength(0);
  });
});
