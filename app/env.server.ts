import { z } from "zod";

/**
 * Every environment variable the app reads, validated once. Defaults make a fresh clone run offline:
 * no DATABASE_URL starts the embedded PGlite database, no OPENAI_API_KEY selects offline providers.
 * Production refuses to start with demo credentials or demo mode.
 */

// Public, well-known development credentials. Never valid against Shopify; refused in production.
export const DEV_SHOPIFY_API_KEY = "shopdesk-dev-api-key";
export const DEV_SHOPIFY_API_SECRET = "shopdesk-dev-api-secret-not-for-production";
export const DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzJieXRlcyE="; // 32 bytes, base64

const booleanish = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((value) => value === "1" || value === "true" || value === "yes");

/** `address@domain` or `Name <address@domain>`. */
const SENDER = /^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const encryptionKey = optionalString.refine(
  (value) => value === undefined || Buffer.from(value, "base64").length === 32,
  "must be 32 random bytes, base64-encoded (openssl rand -base64 32)",
);

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default("127.0.0.1"),
    SHOPIFY_APP_URL: optionalString,
    SHOPIFY_API_KEY: optionalString,
    SHOPIFY_API_SECRET: optionalString,
    SCOPES: optionalString,
    SHOP_CUSTOM_DOMAIN: optionalString,
    DATABASE_URL: optionalString,
    PGLITE_DATA_DIR: z.string().default(".data/pglite"),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    DEMO_MODE: booleanish.default(false),
    DEMO_SHOP: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a *.myshopify.com domain")
      .default("shopdesk-demo.myshopify.com"),
    ENCRYPTION_KEY: encryptionKey,
    // The key before the last rotation: still decrypts, never encrypts (README: "Rotating ENCRYPTION_KEY").
    ENCRYPTION_KEY_PREVIOUS: encryptionKey,
    // How many proxies in front of the app append to X-Forwarded-For (Shopify's app proxy is one); the shopper's
    // address is the entry that many from the right. 0: ignore the header and use the connection's address.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(1),
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalString,
    OPENAI_CHAT_MODEL: z.string().default("gpt-4o-mini"),
    OPENAI_EMBEDDING_MODEL: z.string().default("text-embedding-3-small"),
    SUPABASE_URL: optionalString,
    SUPABASE_SERVICE_ROLE_KEY: optionalString,
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    // A running job whose worker sent no heartbeat for this long is taken as abandoned (the worker died) and is
    // re-queued or dead-lettered; workers send one every quarter of it. Every worker on a database must agree.
    JOB_STALE_AFTER_SECONDS: z.coerce.number().int().min(2).max(3600).default(120),
    // Benchmarks only (bench/reliability-queue.ts): `npm run worker` also runs the bench's probe job.
    SHOPDESK_BENCH_JOBS: booleanish.default(false),
    // Notification e-mail (escalations, @mentions, staff replies the shopper has not read); absent → logged only.
    SMTP_URL: optionalString.refine(
      (value) => value === undefined || (/^smtps?:\/\//i.test(value) && URL.canParse(value)),
      "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@smtp.example.com:587",
    ),
    SMTP_FROM: optionalString.refine(
      (value) => value === undefined || SENDER.test(value),
      "must be an address like support@example.com or Shopdesk <support@example.com>",
    ),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_URL && !env.SMTP_FROM) ctx.addIssue({ code: "custom", path: ["SMTP_FROM"], message: "SMTP_FROM is required when SMTP_URL is set" });
    if (env.NODE_ENV !== "production") return;
    const required = ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "ENCRYPTION_KEY", "DATABASE_URL"] as const;
    for (const key of required) {
      if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: `${key} is required in production` });
    }
    if (env.ENCRYPTION_KEY === DEV_ENCRYPTION_KEY) {
      ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEY"], message: "the development key is public: generate one with openssl rand -base64 32" });
    }
    if (env.DEMO_MODE) {
      ctx.addIssue({ code: "custom", path: ["DEMO_MODE"], message: "demo mode is never enabled in production" });
    }
  });

export type Env = ReturnType<typeof resolveEnv>;

export function resolveEnv(source: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".") || "env"}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const appUrl = (env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
  return {
    ...env,
    appUrl,
    shopifyApiKey: env.SHOPIFY_API_KEY ?? DEV_SHOPIFY_API_KEY,
    shopifyApiSecret: env.SHOPIFY_API_SECRET ?? DEV_SHOPIFY_API_SECRET,
    encryptionKey: env.ENCRYPTION_KEY ?? DEV_ENCRYPTION_KEY,
    encryptionKeyPrevious: env.ENCRYPTION_KEY_PREVIOUS,
    providers: {
      llm: env.OPENAI_API_KEY ? ("openai" as const) : ("offline" as const),
      embeddings: env.OPENAI_API_KEY ? ("openai" as const) : ("offline" as const),
      knowledgeStore: env.SUPABASE_URL && env.SUPABASE_SERVICE_ROLE_KEY ? ("supabase" as const) : ("postgres" as const),
      database: env.DATABASE_URL ? ("external" as const) : ("embedded" as const),
    },
  };
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function getEnv(): Env {
  cached ??= resolveEnv();
  return cached;
}

/** Tests only: forget the parsed environment, so the next getEnv() reads process.env as it is now. */
export function resetEnvForTests(): void {
  cached = undefined;
}
