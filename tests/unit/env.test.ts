import { describe, expect, it } from "vitest";
import { DEV_ENCRYPTION_KEY, DEV_SHOPIFY_API_SECRET, resolveEnv } from "~/env.server";

describe("environment", () => {
  it("runs a fresh clone offline: embedded database, offline AI, development credentials", () => {
    const env = resolveEnv({});
    expect(env.providers).toEqual({ llm: "offline", embeddings: "offline", knowledgeStore: "postgres", database: "embedded" });
    expect(env.shopifyApiSecret).toBe(DEV_SHOPIFY_API_SECRET);
    expect(env.appUrl).toBe("http://localhost:3000");
  });

  it("switches providers on when their credentials are set", () => {
    const env = resolveEnv({
      OPENAI_API_KEY: "sk-test",
      SUPABASE_URL: "http://127.0.0.1:54321",
      SUPABASE_SERVICE_ROLE_KEY: "service",
      DATABASE_URL: "postgresql://localhost/db",
    });
    expect(env.providers).toEqual({ llm: "openai", embeddings: "openai", knowledgeStore: "supabase", database: "external" });
  });

  it("refuses to start production with demo mode or without real credentials", () => {
    expect(() => resolveEnv({ NODE_ENV: "production" })).toThrow(/SHOPIFY_API_SECRET is required in production/);
    expect(() =>
      resolveEnv({
        NODE_ENV: "production",
        DEMO_MODE: "1",
        SHOPIFY_API_KEY: "k",
        SHOPIFY_API_SECRET: "s",
        SHOPIFY_APP_URL: "https://app.example.com",
        ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
        DATABASE_URL: "postgresql://db",
      }),
    ).toThrow(/demo mode is never enabled in production/);
  });

  it("refuses the public development encryption key in production, and reads the previous key for rotation", () => {
    const production = { NODE_ENV: "production", SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example.com", DATABASE_URL: "postgresql://db" };
    expect(() => resolveEnv({ ...production, ENCRYPTION_KEY: DEV_ENCRYPTION_KEY })).toThrow(/ENCRYPTION_KEY: the development key is public/);
    const current = Buffer.alloc(32, 7).toString("base64");
    const previous = Buffer.alloc(32, 8).toString("base64");
    expect(resolveEnv({ ...production, ENCRYPTION_KEY: current, ENCRYPTION_KEY_PREVIOUS: previous })).toMatchObject({ encryptionKey: current, encryptionKeyPrevious: previous });
    expect(() => resolveEnv({ ENCRYPTION_KEY_PREVIOUS: "c2hvcnQ=" })).toThrow(/ENCRYPTION_KEY_PREVIOUS: must be 32 random bytes/);
    // Development and tests run with no configuration: the development key, nothing previous.
    expect(resolveEnv({})).toMatchObject({ encryptionKey: DEV_ENCRYPTION_KEY, encryptionKeyPrevious: undefined });
  });

  it("reads the trusted proxy depth for client addresses (default: one proxy, Shopify's app proxy)", () => {
    expect(resolveEnv({}).TRUSTED_PROXY_HOPS).toBe(1);
    expect(resolveEnv({ TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    expect(() => resolveEnv({ TRUSTED_PROXY_HOPS: "-1" })).toThrow(/TRUSTED_PROXY_HOPS/);
  });

  it("names the variable when a value is invalid", () => {
    expect(() => resolveEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => resolveEnv({ DEMO_SHOP: "evil.example.com" })).toThrow(/DEMO_SHOP/);
    expect(() => resolveEnv({ ENCRYPTION_KEY: "c2hvcnQ=" })).toThrow(/ENCRYPTION_KEY: must be 32 random bytes/);
  });
});
