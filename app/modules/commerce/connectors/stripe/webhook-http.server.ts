import type { IncomingMessage, ServerResponse } from "node:http";
import { header, receiveRawBody, reply } from "~/lib/server/raw-webhook.server";
import type { PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/modules/jobs";
import { redactStripeSecrets, verifyStripeEvent } from "./client.server";
import { openStripeSecrets, STRIPE_WEBHOOK_EVENTS, type StripeSettings } from "./connection.server";

/**
 * Stripe event intake, a plain Node handler for POST /webhooks/stripe/<shop id> mounted ahead of Remix
 * (app/lib/server/http.server.ts). The Stripe-Signature header is checked against the shop's signing secret
 * (Stripe's SDK: HMAC-SHA256 of `<timestamp>.<raw body>`, 300 s tolerance) before anything is stored; then the event
 * is recorded once per shop and event id and its processing queued (STRIPE_EVENT_JOB). Stripe retries any answer
 * but 2xx for up to three days, in no particular order: processing applies events by their `created` time and the
 * state of the object they carry.
 */

export const STRIPE_EVENT_JOB = "commerce.stripe-event";
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;
/** Stripe's events are a few kilobytes; the cap keeps a hostile sender from filling memory. */
const MAX_BODY_BYTES = 1024 * 1024;
const PATH = /^\/webhooks\/stripe\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;
const EVENTS = new Set<string>(STRIPE_WEBHOOK_EVENTS);

export interface StripeWebhookHandlerOptions {
  db: PrismaClient;
  settings: Pick<StripeSettings, "encryptionKey" | "encryptionKeyPrevious">;
  maxBodyBytes?: number;
}

/**
 * One Stripe account may feed several shops (a merchant with two stores), each through its own endpoint: the
 * idempotency key is the event id within the shop.
 */
export const stripeDeliveryId = (shopId: string, eventId: string) => `${shopId}/${eventId}`;

const RECORD = `
  INSERT INTO "WebhookEvent" ("id", "shopId", "shopDomain", "platform", "topic", "deliveryId", "apiVersion", "triggeredAt", "payload")
  VALUES (gen_random_uuid()::text, $1, $2, 'stripe', $3, $4, $5, $6::timestamptz, $7::jsonb)
  ON CONFLICT ("platform", "deliveryId") DO NOTHING
  RETURNING "id"`;

export function createStripeWebhookHandler(options: StripeWebhookHandlerOptions) {
  const { db } = options;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;

  async function accept(shopId: string, request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const integration = await db.integration.findUnique({
      where: { shopId_platform: { shopId, platform: "stripe" } },
      select: { status: true, encryptedCredentials: true, shop: { select: { domain: true } } },
    });
    if (!integration) return reply(response, 404, "No Stripe connection for this shop");
    // The endpoint of a disconnected account: 410 until the merchant deletes it in Stripe.
    if (!integration.encryptedCredentials || integration.status === "disconnected") return reply(response, 410, "Stripe is disconnected from this shop");

    const signature = header(request, "stripe-signature");
    if (!signature) return reply(response, 401, "Missing Stripe-Signature");
    let event: { id: string; type: string; created: number; api_version?: string | null };
    try {
      const { webhookSecret } = openStripeSecrets(integration.encryptedCredentials, options.settings);
      event = verifyStripeEvent(body, signature, webhookSecret, STRIPE_SIGNATURE_TOLERANCE_SECONDS);
    } catch {
      return reply(response, 401, "Invalid Stripe signature");
    }
    // Events the endpoint was set to send beyond Shopdesk's list are acknowledged and not kept.
    if (!EVENTS.has(event.type)) return reply(response, 200, "Ignored");

    await db.$transaction(async (tx) => {
      const [recorded] = await tx.$queryRawUnsafe<{ id: string }[]>(
        RECORD,
        shopId,
        integration.shop.domain,
        event.type,
        stripeDeliveryId(shopId, event.id),
        event.api_version ?? null,
        new Date(event.created * 1000).toISOString(),
        body.toString("utf8"),
      );
      if (recorded) await enqueueJob(tx, { name: STRIPE_EVENT_JOB, shopId, payload: { webhookEventId: recorded.id }, dedupeKey: `stripe-event:${recorded.id}` });
    });
    reply(response, 200);
  }

  return (request: IncomingMessage, response: ServerResponse) => {
    const shopId = PATH.exec((request.url ?? "").split("?", 1)[0]!)?.[1];
    if (!shopId) return reply(response, 404, "Not found");
    receiveRawBody(
      request,
      response,
      {
        maxBodyBytes,
        failureMessage: "Not recorded; please retry",
        // Never the body: it holds the shopper's e-mail and card details.
        onFailure: (error) =>
          console.error(`[stripe] event for shop ${shopId} not recorded (Stripe will retry): ${redactStripeSecrets(error instanceof Error ? error.message : String(error))}`),
      },
      (body) => accept(shopId.toLowerCase(), request, response, body),
    );
  };
}
