import { randomBytes } from "node:crypto";
import type { Integration, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { getEnv } from "~/env.server";
import { encryptSecret, SecretBox } from "~/lib/crypto/secrets.server";
import { WooAccessError, WooApiError, type WooClient, type WooCredentials, type WooRequestOptions, wooClient } from "./client.server";

/**
 * A shop's WooCommerce store: one Integration row per shop (platform woocommerce). The consumer key and
 * secret and the per-connection webhook secret are stored together, encrypted (encryptSecret); the row's
 * config holds only what may be shown: the store's address and the webhooks registered there.
 */

/** What Shopdesk subscribes to. WooCommerce has no refund topic: a refund fires order.updated. */
export const WOO_WEBHOOK_TOPICS = ["order.created", "order.updated", "order.deleted", "customer.created", "customer.updated"] as const;
export type WooWebhookTopic = (typeof WOO_WEBHOOK_TOPICS)[number];

const Secrets = z.object({ consumerKey: z.string(), consumerSecret: z.string(), webhookSecret: z.string() });
export type WooSecrets = z.infer<typeof Secrets>;

const RegisteredWebhook = z.object({ id: z.number().int(), topic: z.string(), status: z.string() });
export type RegisteredWebhook = z.infer<typeof RegisteredWebhook>;

/** Non-secret state of a connection (Integration.config). */
export const WooConfig = z.object({
  storeUrl: z.string(),
  connectedAt: z.string().nullish(),
  disconnectedAt: z.string().nullish(),
  webhooks: z.array(RegisteredWebhook).default([]),
  webhooksCheckedAt: z.string().nullish(),
  /** The last time WooCommerce had disabled (or lost) our webhooks, and what was done about it. */
  webhookIncident: z
    .object({ at: z.string(), topics: z.array(z.string()), reenabled: z.boolean(), error: z.string().nullish() })
    .nullish(),
  /** Deleting the webhooks on disconnect failed: they may still exist on the store (they fail and get disabled). */
  cleanupError: z.string().nullish(),
});
export type WooConfig = z.infer<typeof WooConfig>;

export interface WooSettings {
  /** Base64 key the credentials are encrypted with (ENCRYPTION_KEY). */
  encryptionKey: string;
  /** During a key rotation: the old key, which still decrypts (ENCRYPTION_KEY_PREVIOUS). */
  encryptionKeyPrevious?: string;
  /** The app's public URL: webhooks are delivered to <appUrl>/webhooks/woocommerce/<connection id>. */
  appUrl: string;
  /** Plain-HTTP store addresses are refused in production. */
  allowHttp: boolean;
  request?: WooRequestOptions;
}

export function wooSettingsFromEnv(overrides: Partial<WooSettings> = {}): WooSettings {
  const env = getEnv();
  return { encryptionKey: env.encryptionKey, encryptionKeyPrevious: env.encryptionKeyPrevious, appUrl: env.appUrl, allowHttp: env.NODE_ENV !== "production", ...overrides };
}

export const wooWebhookPath = (integrationId: string) => `/webhooks/woocommerce/${integrationId}`;

export function sealWooSecrets(secrets: WooSecrets, encryptionKey: string): string {
  return encryptSecret(JSON.stringify(secrets), encryptionKey);
}

export function openWooSecrets(stored: string, keys: Pick<WooSettings, "encryptionKey" | "encryptionKeyPrevious">): WooSecrets {
  const box = new SecretBox({ current: keys.encryptionKey, previous: keys.encryptionKeyPrevious });
  return Secrets.parse(JSON.parse(box.open(stored, "The WooCommerce credentials").plaintext));
}

export function readWooConfig(integration: Pick<Integration, "config">): WooConfig | null {
  const parsed = WooConfig.safeParse(integration.config);
  return parsed.success ? parsed.data : null;
}

// ---------------------------------------------------------------- Connecting

/** The store address as WooCommerce's client wants it: scheme, host, optional sub-folder, no trailing slash. */
function normaliseStoreUrl(value: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  const url = new URL(withScheme);
  url.hash = "";
  url.search = "";
  return url.toString().replace(/\/+$/, "");
}

export function wooConnectInput(allowHttp: boolean) {
  return z.object({
    storeUrl: z
      .string()
      .trim()
      .min(1, "Enter your store's address, e.g. https://shop.example.com")
      .max(500, "That address is too long")
      .transform((value, ctx) => {
        try {
          const url = new URL(normaliseStoreUrl(value));
          if (url.username || url.password) {
            ctx.addIssue({ code: "custom", message: "Leave the user name and password out of the address" });
            return z.NEVER;
          }
          if (url.protocol !== "https:" && !(allowHttp && url.protocol === "http:")) {
            ctx.addIssue({ code: "custom", message: allowHttp ? "The address must start with https:// or http://" : "The address must start with https://" });
            return z.NEVER;
          }
          return normaliseStoreUrl(value);
        } catch {
          ctx.addIssue({ code: "custom", message: "That is not a web address, e.g. https://shop.example.com" });
          return z.NEVER;
        }
      }),
    consumerKey: z.string().trim().regex(/^ck_[A-Za-z0-9]{8,64}$/, "A consumer key starts with ck_ (WooCommerce → Settings → Advanced → REST API)"),
    consumerSecret: z.string().trim().regex(/^cs_[A-Za-z0-9]{8,64}$/, "A consumer secret starts with cs_"),
  });
}
export type WooConnectInput = z.infer<ReturnType<typeof wooConnectInput>>;

export type ConnectField = "storeUrl" | "consumerKey" | "consumerSecret";
export type WooConnectResult = { ok: true; integrationId: string } | { ok: false; field: ConnectField | null; message: string };

/** Why the test call failed, in the merchant's terms, and which field to fix. */
function explainTestFailure(error: unknown, storeUrl: string): { field: ConnectField | null; message: string } {
  if (error instanceof WooAccessError) {
    return { field: "consumerKey", message: `WooCommerce refused these keys (${error.status}). Check the consumer key and secret, and that they are not revoked.` };
  }
  if (error instanceof WooApiError) {
    if (error.status === null) return { field: "storeUrl", message: `The store could not be reached at ${storeUrl} (${error.code ?? "no answer"}).` };
    if (error.status === 404) {
      return { field: "storeUrl", message: `No WooCommerce REST API at ${storeUrl}/wp-json/wc/v3: check the address, and that WordPress permalinks are not set to "Plain".` };
    }
    if (error.status >= 300 && error.status < 400) return { field: "storeUrl", message: "The store redirects this address elsewhere: enter the address it redirects to (https:// and with or without www)." };
    return { field: null, message: `The store answered ${error.status} to the test call; try again in a moment.` };
  }
  throw error;
}

async function deleteWebhooks(client: WooClient, webhooks: readonly { id: number }[]): Promise<string | null> {
  const errors: string[] = [];
  for (const webhook of webhooks) {
    try {
      await client.delete(`webhooks/${webhook.id}`, { force: true });
    } catch (error) {
      // Already gone is what we wanted.
      if (error instanceof WooApiError && error.status === 404) continue;
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return errors.length ? errors.join("; ").slice(0, 1_000) : null;
}

const WebhookResponse = z.object({ id: z.number().int(), topic: z.string(), status: z.string(), delivery_url: z.string().nullish() });

async function registerWebhook(client: WooClient, topic: string, deliveryUrl: string, secret: string): Promise<RegisteredWebhook> {
  const { data } = await client.post("webhooks", { name: `Shopdesk ${topic}`, topic, delivery_url: deliveryUrl, secret, status: "active" });
  const webhook = WebhookResponse.parse(data);
  return { id: webhook.id, topic: webhook.topic, status: webhook.status };
}

/**
 * Connects (or reconnects) the shop's WooCommerce store: a test call proves the keys, then the webhooks are
 * registered with a new secret, and only then are the keys stored. A failure leaves nothing half-made: the
 * webhooks created so far are deleted and no credentials are kept.
 */
export async function connectWooCommerce(db: PrismaClient, shopId: string, input: WooConnectInput, settings: WooSettings): Promise<WooConnectResult> {
  const credentials: WooCredentials = { storeUrl: input.storeUrl, consumerKey: input.consumerKey, consumerSecret: input.consumerSecret };
  const client = wooClient(credentials, { retries: 1, ...settings.request });
  try {
    await client.get("orders", { per_page: 1 });
  } catch (error) {
    return { ok: false, ...explainTestFailure(error, input.storeUrl) };
  }

  // A previous connection's webhooks go first, with its own keys (best effort: that store may be gone).
  const existing = await db.integration.findUnique({ where: { shopId_platform: { shopId, platform: "woocommerce" } } });
  if (existing?.encryptedCredentials) await forgetConnection(db, existing, settings);

  const integration = await db.integration.upsert({
    where: { shopId_platform: { shopId, platform: "woocommerce" } },
    create: { shopId, platform: "woocommerce", status: "disconnected", config: { storeUrl: input.storeUrl } },
    update: { status: "disconnected", config: { storeUrl: input.storeUrl }, encryptedCredentials: null },
  });

  const webhookSecret = randomBytes(32).toString("base64url");
  const deliveryUrl = `${settings.appUrl}${wooWebhookPath(integration.id)}`;
  const webhooks: RegisteredWebhook[] = [];
  try {
    for (const topic of WOO_WEBHOOK_TOPICS) webhooks.push(await registerWebhook(client, topic, deliveryUrl, webhookSecret));
  } catch (error) {
    await deleteWebhooks(client, webhooks);
    const message =
      error instanceof WooAccessError
        ? "These keys can read but not write: create keys with Read/Write permission (Shopdesk registers its webhooks with them)."
        : `The store refused to register Shopdesk's webhooks: ${error instanceof Error ? error.message : String(error)}`;
    await db.integration.update({ where: { id: integration.id }, data: { lastError: message } });
    return { ok: false, field: error instanceof WooAccessError ? "consumerKey" : null, message };
  }

  const config: WooConfig = { storeUrl: input.storeUrl, connectedAt: new Date().toISOString(), webhooks, webhooksCheckedAt: new Date().toISOString() };
  await db.integration.update({
    where: { id: integration.id },
    data: {
      status: "connected",
      lastError: null,
      lastSyncAt: null,
      config: config as unknown as Prisma.InputJsonValue,
      encryptedCredentials: sealWooSecrets({ consumerKey: input.consumerKey, consumerSecret: input.consumerSecret, webhookSecret }, settings.encryptionKey),
    },
  });
  return { ok: true, integrationId: integration.id };
}

/** Deletes the store's webhooks (best effort) and the stored keys; the synced orders stay. */
async function forgetConnection(db: PrismaClient, integration: Integration, settings: WooSettings): Promise<string | null> {
  const config = readWooConfig(integration);
  let cleanupError: string | null = null;
  if (integration.encryptedCredentials && config) {
    try {
      const secrets = openWooSecrets(integration.encryptedCredentials, settings);
      const client = wooClient({ storeUrl: config.storeUrl, consumerKey: secrets.consumerKey, consumerSecret: secrets.consumerSecret }, { retries: 1, ...settings.request });
      cleanupError = await deleteWebhooks(client, config.webhooks);
    } catch (error) {
      cleanupError = error instanceof Error ? error.message : String(error);
    }
  }
  const next: WooConfig = {
    storeUrl: config?.storeUrl ?? "",
    disconnectedAt: new Date().toISOString(),
    webhooks: [],
    cleanupError,
  };
  await db.integration.update({
    where: { id: integration.id },
    data: { status: "disconnected", encryptedCredentials: null, config: next as unknown as Prisma.InputJsonValue },
  });
  return cleanupError;
}

/** Disconnects the shop's store. Returns whether there was one, and a note when its webhooks could not be deleted. */
export async function disconnectWooCommerce(db: PrismaClient, shopId: string, settings: WooSettings): Promise<{ disconnected: boolean; cleanupError: string | null }> {
  const integration = await db.integration.findUnique({ where: { shopId_platform: { shopId, platform: "woocommerce" } } });
  if (!integration || integration.status === "disconnected") return { disconnected: false, cleanupError: null };
  return { disconnected: true, cleanupError: await forgetConnection(db, integration, settings) };
}

// ---------------------------------------------------------------- Using a connection

export interface WooConnection {
  integration: Integration;
  config: WooConfig;
  secrets: WooSecrets;
  client: WooClient;
}

/** The shop's connected store with its client, or null when none is connected. */
export async function wooConnection(db: PrismaClient, where: { shopId: string } | { integrationId: string }, settings: WooSettings): Promise<WooConnection | null> {
  const integration =
    "integrationId" in where
      ? await db.integration.findFirst({ where: { id: where.integrationId, platform: "woocommerce" } })
      : await db.integration.findUnique({ where: { shopId_platform: { shopId: where.shopId, platform: "woocommerce" } } });
  if (!integration?.encryptedCredentials || integration.status === "disconnected") return null;
  const config = readWooConfig(integration);
  if (!config) return null;
  const secrets = openWooSecrets(integration.encryptedCredentials, settings);
  const client = wooClient({ storeUrl: config.storeUrl, consumerKey: secrets.consumerKey, consumerSecret: secrets.consumerSecret }, settings.request);
  return { integration, config, secrets, client };
}

export async function updateWooConfig(db: PrismaClient, integrationId: string, change: (config: WooConfig) => WooConfig, data: Prisma.IntegrationUpdateInput = {}) {
  const integration = await db.integration.findUniqueOrThrow({ where: { id: integrationId } });
  const config = readWooConfig(integration);
  if (!config) return;
  await db.integration.update({ where: { id: integrationId }, data: { ...data, config: change(config) as unknown as Prisma.InputJsonValue } });
}

export interface WebhookHealth {
  webhooks: RegisteredWebhook[];
  /** Topics WooCommerce had disabled or paused (after failed deliveries), or whose webhook was deleted. */
  broken: string[];
  /** Whether every broken webhook is active again. */
  repaired: boolean;
  error: string | null;
}

/**
 * Reads the store's webhooks. WooCommerce never retries a failed delivery and disables a webhook after
 * repeated failures, so a disabled or paused one means deliveries were lost: with `repair`, it is set active
 * again (PUT status active) and a deleted one is registered again. The caller reconciles what was missed.
 */
export async function checkWooWebhooks(db: PrismaClient, connection: WooConnection, settings: WooSettings, options: { repair: boolean }): Promise<WebhookHealth> {
  const { client, config, integration, secrets } = connection;
  const webhooks: RegisteredWebhook[] = [];
  const broken: string[] = [];
  let error: string | null = null;
  for (const topic of WOO_WEBHOOK_TOPICS) {
    const known = config.webhooks.find((webhook) => webhook.topic === topic);
    try {
      let current: RegisteredWebhook | null = null;
      if (known) {
        try {
          const { data } = await client.get(`webhooks/${known.id}`);
          current = WebhookResponse.parse(data);
        } catch (failure) {
          if (!(failure instanceof WooApiError && failure.status === 404)) throw failure;
        }
      }
      if (current && current.status === "active") {
        webhooks.push({ id: current.id, topic: current.topic, status: current.status });
        continue;
      }
      broken.push(topic);
      if (!options.repair) {
        webhooks.push(current ? { id: current.id, topic: current.topic, status: current.status } : { id: known?.id ?? 0, topic, status: "deleted" });
        continue;
      }
      if (current) {
        const { data } = await client.put(`webhooks/${current.id}`, { status: "active" });
        const updated = WebhookResponse.parse(data);
        webhooks.push({ id: updated.id, topic: updated.topic, status: updated.status });
      } else {
        webhooks.push(await registerWebhook(client, topic, `${settings.appUrl}${wooWebhookPath(integration.id)}`, secrets.webhookSecret));
      }
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
      webhooks.push(known ?? { id: 0, topic, status: "unknown" });
    }
  }
  const repaired = options.repair && error === null;
  const now = new Date().toISOString();
  await updateWooConfig(db, integration.id, (current) => ({
    ...current,
    webhooks,
    webhooksCheckedAt: now,
    webhookIncident: broken.length > 0 ? { at: now, topics: broken, reenabled: repaired, error } : current.webhookIncident,
  }));
  return { webhooks, broken, repaired, error };
}
