import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { getEnv } from "~/env.server";
import { encryptSecret, SecretBox } from "~/lib/crypto/secrets.server";
import { describeStripeError, type StripeApiOptions, stripeClient } from "./client.server";

/**
 * A shop's Stripe account: one Integration row per shop (platform stripe). The restricted API key and the webhook
 * endpoint's signing secret are stored together, encrypted (encryptSecret); the row's config holds only what may be
 * shown. Disconnecting deletes both secrets and keeps the row (its id, the payments already synced).
 */

/** The events Shopdesk reads; the merchant's webhook endpoint in Stripe sends these. */
export const STRIPE_WEBHOOK_EVENTS = [
  "charge.refunded",
  "charge.refund.updated",
  "refund.created",
  "refund.updated",
  "charge.dispute.created",
  "charge.dispute.updated",
  "charge.dispute.closed",
  "payment_intent.payment_failed",
] as const;
export type StripeWebhookEvent = (typeof STRIPE_WEBHOOK_EVENTS)[number];

const Secrets = z.object({ apiKey: z.string(), webhookSecret: z.string() });
export type StripeSecrets = z.infer<typeof Secrets>;

/** Non-secret state of a connection (Integration.config). */
export const StripeConfig = z.object({
  mode: z.enum(["live", "test"]),
  connectedAt: z.string(),
});
export type StripeConfig = z.infer<typeof StripeConfig>;

export interface StripeSettings {
  /** Base64 key for encryptSecret (ENCRYPTION_KEY); ENCRYPTION_KEY_PREVIOUS still decrypts during a rotation. */
  encryptionKey: string;
  encryptionKeyPrevious?: string;
  /** The app's public URL: Stripe delivers events to <appUrl>/webhooks/stripe/<shop id>. */
  appUrl: string;
  api?: StripeApiOptions;
}

/** Settings, or how to read them when a job runs (the worker wires jobs before the environment is read). */
export type StripeSettingsSource = StripeSettings | (() => StripeSettings);
export const readStripeSettings = (source: StripeSettingsSource) => (typeof source === "function" ? source() : source);

export function stripeSettingsFromEnv(overrides: Partial<StripeSettings> = {}): StripeSettings {
  const env = getEnv();
  return { encryptionKey: env.encryptionKey, encryptionKeyPrevious: env.encryptionKeyPrevious, appUrl: env.appUrl, ...overrides };
}

/**
 * Per shop, not per connection: the merchant creates the endpoint in Stripe (and only then gets its signing
 * secret) before connecting, so the address must exist before the connection does.
 */
export const stripeWebhookPath = (shopId: string) => `/webhooks/stripe/${shopId}`;

export function sealStripeSecrets(secrets: StripeSecrets, settings: Pick<StripeSettings, "encryptionKey">): string {
  return encryptSecret(JSON.stringify(secrets), settings.encryptionKey);
}

export function openStripeSecrets(stored: string, settings: Pick<StripeSettings, "encryptionKey" | "encryptionKeyPrevious">): StripeSecrets {
  const box = new SecretBox({ current: settings.encryptionKey, previous: settings.encryptionKeyPrevious });
  return Secrets.parse(JSON.parse(box.open(stored, "The Stripe credentials").plaintext));
}

/** The shop's Stripe secrets while it is connected (also in status error: the key may work again). */
export async function stripeConnection(db: PrismaClient | Prisma.TransactionClient, shopId: string, settings: StripeSettings) {
  const integration = await db.integration.findUnique({
    where: { shopId_platform: { shopId, platform: "stripe" } },
    select: { id: true, status: true, encryptedCredentials: true },
  });
  if (!integration?.encryptedCredentials || integration.status === "disconnected") return null;
  return { integrationId: integration.id, secrets: openStripeSecrets(integration.encryptedCredentials, settings) };
}

// ---------------------------------------------------------------- Connecting

export const StripeConnectInput = z.object({
  apiKey: z
    .string({ error: "Paste the restricted key" })
    .trim()
    .min(1, "Paste the restricted key")
    .max(255, "That is longer than a Stripe key")
    .regex(/^rk_(live|test)_[A-Za-z0-9]{16,}$/, "Use a restricted key: it starts with rk_live_ or rk_test_ (a secret key gives Shopdesk more access than it needs)"),
  webhookSecret: z
    .string({ error: "Paste the endpoint's signing secret" })
    .trim()
    .min(1, "Paste the endpoint's signing secret")
    .max(255, "That is longer than a signing secret")
    .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, "The signing secret starts with whsec_ (Developers → Webhooks → your endpoint → Signing secret)"),
});
export type StripeConnectInput = z.infer<typeof StripeConnectInput>;

export type StripeConnectField = keyof StripeConnectInput | "form";
export type StripeConnectResult = { ok: true; mode: "live" | "test" } | { ok: false; errors: Partial<Record<StripeConnectField, string>> };

/** The calls a connection needs, tried once each: reading charges (to link payments) and refunds. */
async function checkKey(apiKey: string, settings: StripeSettings): Promise<Partial<Record<StripeConnectField, string>> | null> {
  const stripe = stripeClient(apiKey, { ...settings.api, maxNetworkRetries: settings.api?.maxNetworkRetries ?? 1 });
  for (const [what, call] of [
    ["Charges (read)", () => stripe.charges.list({ limit: 1 })],
    ["Refunds (write)", () => stripe.refunds.list({ limit: 1 })],
  ] as const) {
    try {
      await call();
    } catch (error) {
      const failure = describeStripeError(error);
      if (failure.kind === "auth") return { apiKey: `Stripe did not accept this key: ${failure.message}` };
      if (failure.kind === "permission") return { apiKey: `This restricted key lacks a permission Shopdesk needs: allow ${what}, Charges (read), Refunds (write), Disputes (read) and PaymentIntents (read).` };
      if (failure.kind === "invalid") return { apiKey: `Stripe refused the test call: ${failure.message}` };
      return { form: `Stripe could not be reached (${failure.message}); nothing was saved. Try again.` };
    }
  }
  return null;
}

/**
 * Validates the form (zod), checks the key against Stripe with a test call, then stores both secrets encrypted.
 * Nothing is stored when anything fails; the errors name the field they belong to.
 */
export async function connectStripe(db: PrismaClient, shopId: string, input: unknown, settings: StripeSettings): Promise<StripeConnectResult> {
  const parsed = StripeConnectInput.safeParse(input);
  if (!parsed.success) {
    const errors: Partial<Record<StripeConnectField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === "apiKey" || issue.path[0] === "webhookSecret" ? issue.path[0] : "form";
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const refused = await checkKey(parsed.data.apiKey, settings);
  if (refused) return { ok: false, errors: refused };

  const mode = parsed.data.apiKey.startsWith("rk_live_") ? "live" : "test";
  const config: StripeConfig = { mode, connectedAt: new Date().toISOString() };
  const data = { status: "connected" as const, config, encryptedCredentials: sealStripeSecrets(parsed.data, settings), lastError: null };
  await db.integration.upsert({
    where: { shopId_platform: { shopId, platform: "stripe" } },
    create: { shopId, platform: "stripe", ...data },
    update: data,
  });
  return { ok: true, mode };
}

/** Deletes the secrets; events sent afterwards are refused (410) and the payments already synced stay. */
export async function disconnectStripe(db: PrismaClient, shopId: string): Promise<boolean> {
  const { count } = await db.integration.updateMany({
    where: { shopId, platform: "stripe", status: { not: "disconnected" } },
    data: { status: "disconnected", encryptedCredentials: null, config: {}, lastError: null },
  });
  return count > 0;
}

/** A call with the shop's key was refused (revoked key, missing permission): the card shows it until reconnected. */
export async function markStripeError(db: PrismaClient | Prisma.TransactionClient, shopId: string, message: string) {
  await db.integration.updateMany({ where: { shopId, platform: "stripe", status: { not: "disconnected" } }, data: { status: "error", lastError: message.slice(0, 500) } });
}
