import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { header, receiveRawBody, reply } from "~/lib/server/raw-webhook.server";
import type { PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/modules/jobs";
import { openWooSecrets, WOO_WEBHOOK_TOPICS } from "./connection.server";

/**
 * WooCommerce webhook intake, a plain Node handler for POST /webhooks/woocommerce/<connection id> mounted
 * ahead of Remix (app/lib/server/http.server.ts). Each connection has its own route and secret: the
 * signature (X-WC-Webhook-Signature, base64 HMAC-SHA256 of the raw body) is checked before anything is
 * stored, then the delivery is recorded once and its processing queued (WOO_WEBHOOK_JOB).
 */

export const WOO_WEBHOOK_JOB = "commerce.woocommerce-webhook";
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const PATH = /^\/webhooks\/woocommerce\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;
/** WooCommerce pings a new webhook's URL with this form body, unsigned. */
const PING = /^webhook_id=\d+$/;
const TOPICS = new Set<string>(WOO_WEBHOOK_TOPICS);

export interface WooWebhookHandlerOptions {
  db: PrismaClient;
  encryptionKey: string;
  encryptionKeyPrevious?: string;
  maxBodyBytes?: number;
}

/**
 * The idempotency key of a delivery. WooCommerce's X-WC-Webhook-Delivery-ID is a hash of the webhook and the
 * second it was sent, so it is neither stable across a resend nor unique within a second: a resource version
 * (id + date_modified_gmt) plus a hash of the body names what was delivered. A deletion carries only the id,
 * so the delivery id tells two deletions of a restored order apart.
 */
function deliveryKey(integrationId: string, topic: string, body: Buffer, payload: Record<string, unknown>, deliveryId: string): string {
  const id = String(payload.id ?? "");
  if (topic.endsWith(".deleted")) return `${integrationId}:${topic}:${id}:${deliveryId}`;
  const hash = createHash("sha256").update(body).digest("base64url").slice(0, 22);
  return `${integrationId}:${topic}:${id}:${String(payload.date_modified_gmt ?? "")}:${hash}`;
}

const RECORD = `
  INSERT INTO "WebhookEvent" ("id", "shopId", "shopDomain", "platform", "topic", "deliveryId", "apiVersion", "triggeredAt", "payload")
  VALUES (gen_random_uuid()::text, $1, $2, 'woocommerce', $3, $4, $5, now(), $6::jsonb)
  ON CONFLICT ("platform", "deliveryId") DO NOTHING
  RETURNING "id"`;

export function createWooWebhookHandler(options: WooWebhookHandlerOptions) {
  const { db } = options;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;

  async function accept(integrationId: string, request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const integration = await db.integration.findFirst({
      where: { id: integrationId, platform: "woocommerce" },
      select: { id: true, shopId: true, status: true, encryptedCredentials: true, shop: { select: { domain: true } } },
    });
    if (!integration) return reply(response, 404, "No such connection");
    const signature = header(request, "x-wc-webhook-signature");
    // The ping comes while the webhook is being created, before the connection's keys are stored.
    if (!signature && PING.test(body.toString("utf8"))) return reply(response, 200);
    // A disconnected store's leftover webhooks fail here, and WooCommerce disables them.
    if (!integration.encryptedCredentials || integration.status === "disconnected") return reply(response, 410, "This connection was disconnected");

    const { webhookSecret } = openWooSecrets(integration.encryptedCredentials, options);
    const expected = Buffer.from(createHmac("sha256", webhookSecret).update(body).digest("base64"));
    const given = Buffer.from(signature ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply(response, 401, "Invalid webhook signature");

    const topic = header(request, "x-wc-webhook-topic") ?? "";
    if (!TOPICS.has(topic)) return reply(response, 400, `Not a subscribed topic: ${topic.slice(0, 60)}`);
    const deliveryId = header(request, "x-wc-webhook-delivery-id");
    if (!deliveryId) return reply(response, 400, "Missing X-WC-Webhook-Delivery-ID");
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      return reply(response, 400, "The body is not JSON");
    }
    if (!payload || typeof payload !== "object" || Array.isArray(payload) || !("id" in payload)) return reply(response, 400, "The body is not a resource");

    const key = deliveryKey(integration.id, topic, body, payload as Record<string, unknown>, deliveryId);
    try {
      await db.$transaction(async (tx) => {
        const rows = await tx.$queryRawUnsafe<{ id: string }[]>(RECORD, integration.shopId, integration.shop.domain, topic, key, header(request, "x-wc-webhook-api-version") ?? null, body.toString("utf8"));
        const event = rows[0];
        if (event) await enqueueJob(tx, { name: WOO_WEBHOOK_JOB, shopId: integration.shopId, payload: { webhookEventId: event.id }, dedupeKey: `webhook:${event.id}` });
      });
    } catch (error) {
      // Never the payload: it holds shoppers' personal data.
      console.error(`[webhooks] woocommerce ${topic} for connection ${integration.id} not recorded: ${error instanceof Error ? error.message : String(error)}`);
      return reply(response, 500, "Not recorded");
    }
    reply(response, 200);
  }

  return (request: IncomingMessage, response: ServerResponse) => {
    const match = PATH.exec((request.url ?? "").split("?", 1)[0]!);
    if (!match) return reply(response, 404, "No such connection");
    receiveRawBody(
      request,
      response,
      {
        maxBodyBytes,
        failureMessage: "Internal error",
        onFailure: (error) => console.error(`[webhooks] woocommerce delivery failed: ${error instanceof Error ? error.message : String(error)}`),
      },
      (body) => accept(match[1]!.toLowerCase(), request, response, body),
    );
  };
}
