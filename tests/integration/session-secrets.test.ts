import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { AppDistribution, LogSeverity, Session, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_ENCRYPTION_KEY, DEV_SHOPIFY_API_KEY, DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { decryptSecret, encryptSecret, SecretBox, SecretDecryptionError } from "~/lib/crypto/secrets.server";
import { ensureEmbeddedDatabase, stopEmbeddedDatabase } from "~/lib/db/embedded.server";
import { migrateDatabase } from "~/lib/db/migrate.server";
import { EncryptedSessionStorage } from "~/lib/shopify/encrypted-session-storage.server";
import { shopifyLogger } from "~/lib/shopify/logger.server";
import { embeddedAdminUrl, signSessionToken } from "~/modules/demo";
import { API_VERSION, APP_SCOPES, authenticate, sessionStorage } from "~/shopify.server";
import { createTestShop, deleteTestShop } from "../support/shops";
import { routeShopifyCallsTo, startTokenExchangeServer, type TokenExchangeServer } from "../support/token-exchange-server";

/**
 * Shopify access and refresh tokens are encrypted at rest (ENCRYPTION_KEY, AES-256-GCM): through the session
 * storage the app gives Shopify's library, after a real token exchange against a local server speaking Shopify's
 * wire format; rows stored before encryption keep loading; key rotation with ENCRYPTION_KEY_PREVIOUS and
 * `npm run -s cli -- secrets rotate`; a wrong key fails loudly.
 */
const APP_URL = "http://localhost:3000";
const runFile = promisify(execFile);
const USER_ID = 4300123;
const newKey = () => randomBytes(32).toString("base64");
const storageWith = (keys: { current: string; previous?: string }) => new EncryptedSessionStorage(new PrismaSessionStorage(prisma), new SecretBox(keys));
const rawSession = (id: string) => prisma.session.findUniqueOrThrow({ where: { id }, select: { accessToken: true, refreshToken: true } });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("Shopify session tokens at rest", () => {
  let server: TokenExchangeServer;
  let restoreFetch: () => void;
  let shop: { id: string; domain: string };

  beforeAll(async () => {
    server = await startTokenExchangeServer({
      apiKey: DEV_SHOPIFY_API_KEY,
      apiSecret: DEV_SHOPIFY_API_SECRET,
      scope: APP_SCOPES.join(","),
      users: [{ id: USER_ID, first_name: "Ines", last_name: "Moreau", email: "ines@example.com", account_owner: true }],
    });
    shop = await createTestShop();
    restoreFetch = routeShopifyCallsTo(server, () => [shop.domain]);
  });

  afterAll(async () => {
    restoreFetch();
    await server.close();
    await prisma.job.deleteMany({ where: { shopId: shop.id } });
    await deleteTestShop(shop.domain);
  });

  it("stores the tokens of a token exchange encrypted: the raw rows hold neither token, loading gives them back", async () => {
    const token = await signSessionToken({ shopDomain: shop.domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: DEV_SHOPIFY_API_SECRET, userId: String(USER_ID) });
    const { session } = await authenticate.admin(new Request(`${APP_URL}/app?_data=routes%2Fapp._index`, { headers: { Authorization: `Bearer ${token}` } }));
    expect(session.id).toBe(`${shop.domain}_${USER_ID}`);
    expect(server.calls).toHaveLength(2); // offline, then online

    const offline = (await sessionStorage.loadSession(`offline_${shop.domain}`))!;
    expect(offline.accessToken).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect(offline.refreshToken).toMatch(/^shprt_[0-9a-f]{32}$/);
    const online = (await sessionStorage.loadSession(session.id))!;
    expect(online.accessToken).toMatch(/^shpua_[0-9a-f]{32}$/);
    expect(online.accessToken).toBe(session.accessToken);

    for (const [id, loaded] of [
      [`offline_${shop.domain}`, offline],
      [session.id, online],
    ] as const) {
      const raw = await rawSession(id);
      for (const [stored, plaintext] of [
        [raw.accessToken, loaded.accessToken!],
        [raw.refreshToken, loaded.refreshToken],
      ] as const) {
        if (!plaintext) {
          expect(stored).toBeNull();
          continue;
        }
        expect(stored).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
        expect(stored).not.toContain(plaintext);
        expect(stored).not.toContain(plaintext.slice(6, 22)); // nor any recognisable part of it
        expect(decryptSecret(stored!, DEV_ENCRYPTION_KEY)).toBe(plaintext);
      }
    }
    // The library finds the shop's sessions decrypted too (what it does on uninstall and for online tokens).
    const found = await sessionStorage.findSessionsByShop(shop.domain);
    expect(found.map((each) => each.accessToken).sort()).toEqual([offline.accessToken, online.accessToken].sort());
  });

  it("logs no token, even at debug level where Shopify's library logs the raw session token", async () => {
    const raw: string[] = [];
    const redacted: string[] = [];
    const appWith = (logger: Parameters<typeof shopifyApp>[0]["logger"]) =>
      shopifyApp({
        apiKey: DEV_SHOPIFY_API_KEY,
        apiSecretKey: DEV_SHOPIFY_API_SECRET,
        apiVersion: API_VERSION,
        appUrl: APP_URL,
        scopes: APP_SCOPES,
        sessionStorage,
        distribution: AppDistribution.AppStore,
        useOnlineTokens: true,
        future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
        logger,
      });
    const plain = appWith({ level: LogSeverity.Debug, log: (_severity, line) => raw.push(line) });
    const logged = appWith(shopifyLogger("debug", (_severity, line) => redacted.push(line)));
    const token = await signSessionToken({ shopDomain: shop.domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: DEV_SHOPIFY_API_SECRET, userId: String(USER_ID) });
    const document = await embeddedAdminUrl({ appUrl: APP_URL, path: "/app", shopDomain: shop.domain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: DEV_SHOPIFY_API_SECRET });
    const idToken = new URL(document).searchParams.get("id_token")!;
    for (const app of [plain, logged]) {
      await app.authenticate.admin(new Request(`${APP_URL}/app?_data=routes%2Fapp._index`, { headers: { Authorization: `Bearer ${token}` } }));
      await app.authenticate.admin(new Request(document)).catch((thrown: unknown) => thrown);
    }
    // Why the redaction exists: the library's own debug lines carry both tokens.
    expect(raw.join("\n")).toContain(token);
    expect(raw.join("\n")).toContain(idToken);
    const lines = redacted.join("\n");
    expect(lines).toContain("Attempting to authenticate session token");
    const offline = (await sessionStorage.loadSession(`offline_${shop.domain}`))!;
    for (const secret of [token, idToken, offline.accessToken!, offline.refreshToken!, token.split(".")[2]!, idToken.split(".")[2]!]) {
      expect(lines).not.toContain(secret);
    }
  });

  it("loads a session stored before encryption at rest, and encrypts it the next time it is stored", async () => {
    const id = `offline_legacy-${randomUUID().slice(0, 8)}.myshopify.com`;
    await prisma.session.create({ data: { id, shop: shop.domain, state: "", isOnline: false, scope: "read_orders", accessToken: "shpat_legacy_plaintext_token" } });
    const loaded = (await sessionStorage.loadSession(id))!;
    expect(loaded.accessToken).toBe("shpat_legacy_plaintext_token");
    expect((await rawSession(id)).accessToken).toBe("shpat_legacy_plaintext_token"); // loading writes nothing

    await sessionStorage.storeSession(loaded);
    const raw = await rawSession(id);
    expect(raw.accessToken).toMatch(/^v1\./);
    expect(raw.accessToken).not.toContain("legacy");
    expect((await sessionStorage.loadSession(id))!.accessToken).toBe("shpat_legacy_plaintext_token");
    // The session the library passed in keeps its plaintext token (the library goes on using it).
    expect(loaded.accessToken).toBe("shpat_legacy_plaintext_token");
  });

  it("decrypts with ENCRYPTION_KEY_PREVIOUS during a rotation and encrypts with the current key", async () => {
    const [oldKey, currentKey] = [newKey(), newKey()];
    const id = `offline_rotating-${randomUUID().slice(0, 8)}.myshopify.com`;
    const session = new Session({ id, shop: shop.domain, state: "", isOnline: false, accessToken: "shpat_rotating", refreshToken: "shprt_rotating" });
    await storageWith({ current: oldKey }).storeSession(session);
    expect(decryptSecret((await rawSession(id)).accessToken, oldKey)).toBe("shpat_rotating");

    const rotating = storageWith({ current: currentKey, previous: oldKey });
    const loaded = (await rotating.loadSession(id))!;
    expect([loaded.accessToken, loaded.refreshToken]).toEqual(["shpat_rotating", "shprt_rotating"]);
    await rotating.storeSession(loaded);
    const raw = await rawSession(id);
    expect(decryptSecret(raw.accessToken, currentKey)).toBe("shpat_rotating");
    expect(decryptSecret(raw.refreshToken!, currentKey)).toBe("shprt_rotating");
    expect(() => decryptSecret(raw.accessToken, oldKey)).toThrow();
    // After the rotation the old key can go.
    expect((await storageWith({ current: currentKey }).loadSession(id))!.accessToken).toBe("shpat_rotating");
  });

  it("fails loudly when no key opens a stored token, naming the session but never the token", async () => {
    const id = `offline_wrong-key-${randomUUID().slice(0, 8)}.myshopify.com`;
    await storageWith({ current: newKey() }).storeSession(new Session({ id, shop: shop.domain, state: "", isOnline: false, accessToken: "shpat_secret_value" }));
    const stored = (await rawSession(id)).accessToken;
    for (const storage of [storageWith({ current: newKey() }), storageWith({ current: newKey(), previous: newKey() }), sessionStorage]) {
      const error = await rejection(storage.loadSession(id));
      expect(error).toBeInstanceOf(SecretDecryptionError);
      const message = (error as Error).message;
      expect(message).toContain(`The access token of session ${id} could not be decrypted with ENCRYPTION_KEY or ENCRYPTION_KEY_PREVIOUS`);
      expect(message).not.toContain("shpat_secret_value");
      expect(message).not.toContain(stored.split(".")[3]!);
    }
    // A tampered value fails the same way, even with the right key.
    const key = newKey();
    const sealed = encryptSecret("shpat_tamper", key).split(".");
    const flipped = Buffer.from(sealed[3]!, "base64url");
    flipped[0]! ^= 1;
    expect(() => new SecretBox({ current: key }).open([...sealed.slice(0, 3), flipped.toString("base64url")].join("."))).toThrow(SecretDecryptionError);
  });
});

describe("npm run -s cli -- secrets rotate", () => {
  // Its own embedded database: the rotation rewrites every row of the database it runs on.
  const dataDir = mkdtempSync(path.join(tmpdir(), "shopdesk-secrets-rotate-"));
  let url: string;
  let db: PrismaClient;
  const [oldKey, currentKey, wrongKey] = [newKey(), newKey(), newKey()];
  const plaintexts = {
    legacy: "shpat_stored_before_encryption",
    oldAccess: "shpat_sealed_with_old_key",
    oldRefresh: "shprt_sealed_with_old_key",
    current: "shpua_sealed_with_current_key",
    credentials: JSON.stringify({ consumerKey: "ck_live_rotate", consumerSecret: "cs_live_rotate" }),
  };
  /** The command as an operator runs it, on this database with these keys. */
  async function runCli(keys: { ENCRYPTION_KEY: string; ENCRYPTION_KEY_PREVIOUS?: string }) {
    const env = { ...process.env, DATABASE_URL: url, SHOPDESK_EMBEDDED_DATABASE: "1", ENCRYPTION_KEY_PREVIOUS: "", ...keys };
    return runFile(process.execPath, ["--import", "tsx/esm", "scripts/cli.ts", "secrets", "rotate"], { env, timeout: 120_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (failure: { code: number; stdout: string; stderr: string }) => ({ code: failure.code, stdout: failure.stdout, stderr: failure.stderr }),
    );
  }
  const rows = async () => ({
    sessions: await db.session.findMany({ orderBy: { id: "asc" }, select: { id: true, accessToken: true, refreshToken: true } }),
    integrations: await db.integration.findMany({ select: { id: true, encryptedCredentials: true } }),
  });

  beforeAll(async () => {
    url = (await ensureEmbeddedDatabase(dataDir)).url;
    await migrateDatabase(url);
    db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) });
    const shop = await db.shop.create({ data: { domain: "rotate-test.myshopify.com", name: "Rotate" } });
    await db.session.createMany({
      data: [
        { id: "a_legacy", shop: shop.domain, state: "", accessToken: plaintexts.legacy },
        { id: "b_old", shop: shop.domain, state: "", accessToken: encryptSecret(plaintexts.oldAccess, oldKey), refreshToken: encryptSecret(plaintexts.oldRefresh, oldKey) },
        { id: "c_current", shop: shop.domain, state: "", isOnline: true, accessToken: encryptSecret(plaintexts.current, currentKey) },
        { id: "d_no_token", shop: shop.domain, state: "", accessToken: "" },
      ],
    });
    await db.integration.create({ data: { shopId: shop.id, platform: "woocommerce", encryptedCredentials: encryptSecret(plaintexts.credentials, oldKey) } });
  }, 180_000);

  afterAll(async () => {
    await db?.$disconnect();
    await stopEmbeddedDatabase(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("writes nothing when a stored value opens with neither key, and names the rows only", async () => {
    const before = await rows();
    const result = await runCli({ ENCRYPTION_KEY: wrongKey, ENCRYPTION_KEY_PREVIOUS: newKey() });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.sessions.failed).toEqual(["b_old", "c_current"]);
    expect(report.integrations.failed).toEqual([before.integrations[0]!.id]);
    expect(result.stderr).toContain(
      `secrets rotate: 3 stored value(s) could not be decrypted with ENCRYPTION_KEY or ENCRYPTION_KEY_PREVIOUS (rows b_old, c_current, ${before.integrations[0]!.id}); nothing was changed`,
    );
    const sealed = before.sessions.map((row) => row.accessToken).filter((value) => value.startsWith("v1."));
    for (const secret of [...Object.values(plaintexts), ...sealed]) expect(result.stdout + result.stderr).not.toContain(secret);
    // Not even the plaintext row it could read was sealed with the wrong key.
    expect(await rows()).toEqual(before);
  });

  it("re-encrypts every session token and integration credential with the current key, once", async () => {
    const result = await runCli({ ENCRYPTION_KEY: currentKey, ENCRYPTION_KEY_PREVIOUS: oldKey });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      sessions: { resealed: 2, current: 2, skipped: 0, failed: [] },
      integrations: { resealed: 1, current: 0, skipped: 0, failed: [] },
    });
    const { sessions, integrations } = await rows();
    const currentOnly = new SecretBox({ current: currentKey });
    const opened = Object.fromEntries(sessions.map((row) => [row.id, [row.accessToken && currentOnly.open(row.accessToken), row.refreshToken && currentOnly.open(row.refreshToken)]]));
    expect(opened).toEqual({
      a_legacy: [{ plaintext: plaintexts.legacy, stale: false }, null],
      b_old: [
        { plaintext: plaintexts.oldAccess, stale: false },
        { plaintext: plaintexts.oldRefresh, stale: false },
      ],
      c_current: [{ plaintext: plaintexts.current, stale: false }, null],
      d_no_token: ["", null],
    });
    expect(currentOnly.open(integrations[0]!.encryptedCredentials!)).toEqual({ plaintext: plaintexts.credentials, stale: false });

    const again = await runCli({ ENCRYPTION_KEY: currentKey, ENCRYPTION_KEY_PREVIOUS: oldKey });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      sessions: { resealed: 0, current: 4, skipped: 0, failed: [] },
      integrations: { resealed: 0, current: 1, skipped: 0, failed: [] },
    });
  });
});
