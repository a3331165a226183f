import { describe, expect, it } from "vitest";
import { DEV_SHOPIFY_API_SECRET, resolveEnv } from "~/env.server";

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

  it("names the variable when a value is invalid", () => {
    expect(() => resolveEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => resolveEnv({ DEMO_SHOP: "evil.example.com" })).toThrow(/DEMO_SHOP/);
    expect(() => resolveEnv({ ENCRYPTION_KEY: "c2hvcnQ=" })).toThrow(/ENCRYPTION_KEY: must be 32 random bytes/);
  });
});
