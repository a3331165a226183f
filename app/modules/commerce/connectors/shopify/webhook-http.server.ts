import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { header, receiveRawBody, reply } from "~/lib/server/raw-webhook.server";
import type pg from "pg";
import { getPool } from "~/lib/db/pool.server";
import { recordWebhookJson } from "../../webhook-intake.server";

/**
 * Shopify webhook intake as a plain Node handler for POST /webhooks/<topic>: the app's one webhook route,
 * mounted ahead of Remix (app/lib/server/http.server.ts). Shopify sends thousands of these a minute and waits
 * for the answer, so it does only what makes a delivery safe to acknowledge: check it is Shopify's (HMAC of the
 * raw body), check it is whole, then record it and queue its processing in one SQL statement.
 * Any answer but 200 makes Shopify deliver again (for up to 4 hours); a duplicate is answered 200.
 */

/** Shopify's payloads are far smaller; the cap keeps a hostile sender from filling memory. */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

const PATH_PREFIX = "/webhooks/";
/** PostgreSQL's SQLSTATE for "invalid input syntax for type json". */
const INVALID_TEXT_REPRESENTATION = "22P02";

export interface ShopifyWebhookHandlerOptions {
  /** The app's API secret key: Shopify signs every delivery with it. */
  apiSecret: string;
  /** Where deliveries are recorded; the app's pool (getPool) when omitted, taken at the first delivery. */
  pool?: pg.Pool;
  /** The subscribed topics (shopify.app.toml); any other path is 404. */
  topics: readonly string[];
  /** SHOP_CUSTOM_DOMAIN: a domain pattern (regular-expression source) shops may use besides myshopify.com. */
  customShopDomain?: string;
  maxBodyBytes?: number;
}

export function createShopifyWebhookHandler(options: ShopifyWebhookHandlerOptions) {
  const topics = new Set(options.topics);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  const domains = ["myshopify\\.com", ...(options.customShopDomain ? [options.customShopDomain] : [])];
  // The shape @shopify/shopify-api accepts for a shop: one label before one of the shop domains.
  const shopDomain = new RegExp(`^[a-zA-Z0-9][a-zA-Z0-9-_]*\\.(${domains.join("|")})$`);

  async function accept(topic: string, request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const signature = header(request, "x-shopify-hmac-sha256");
    const expected = Buffer.from(createHmac("sha256", options.apiSecret).update(body).digest("base64"));
    const given = Buffer.from(signature ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply(response, 401, "Invalid webhook signature");

    if (header(request, "x-shopify-topic") !== topic) return reply(response, 400, `This endpoint receives ${topic}`);
    const shop = header(request, "x-shopify-shop-domain");
    if (!shop || !shopDomain.test(shop)) return reply(response, 400, "Missing or invalid X-Shopify-Shop-Domain");
    const deliveryId = header(request, "x-shopify-event-id") || header(request, "x-shopify-webhook-id");
    if (!deliveryId) return reply(response, 400, "Missing X-Shopify-Event-Id");
    // Not parsed here: the statement's jsonb cast parses it anyway, and refuses what is not JSON (below).
    const payloadJson = body.toString("utf8");
    try {
      await recordWebhookJson(
        {
          platform: "shopify",
          shopDomain: shop,
          topic,
          deliveryId,
          apiVersion: header(request, "x-shopify-api-version"),
          triggeredAt: header(request, "x-shopify-triggered-at"),
          payloadJson,
        },
        options.pool ?? getPool(),
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // The one text-to-type cast in the statement that a sender controls is the payload's to jsonb.
      if (code === INVALID_TEXT_REPRESENTATION) return reply(response, 400, "The body is not JSON");
      // Never the payload: it holds customers' personal data.
      console.error(
        `[webhooks] ${topic} ${deliveryId} from ${shop} not recorded (Shopify will retry): ${error instanceof Error ? error.message : String(error)}${typeof code === "string" ? ` [${code}]` : ""}`,
      );
      return reply(response, 500, "Not recorded; please retry");
    }
    reply(response, 200);
  }

  return (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "").split("?", 1)[0]!;
    const topic = path.startsWith(PATH_PREFIX) ? path.slice(PATH_PREFIX.length) : "";
    if (!topics.has(topic)) return reply(response, 404, "No such webhook topic");
    receiveRawBody(
      request,
      response,
      {
        maxBodyBytes,
        failureMessage: "Internal error",
        onFailure: (error) => console.error(`[webhooks] ${topic} failed: ${error instanceof Error ? error.message : String(error)}`),
      },
      (body) => accept(topic, request, response, body),
    );
  };
}
