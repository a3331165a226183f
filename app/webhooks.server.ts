import { authenticate } from "~/shopify.server";
import { recordWebhook } from "~/modules/commerce";

/** App-level wiring for the per-topic webhook routes (like worker.server.ts): one Shopify topic route: verify the HMAC (the library answers 401 when it fails), record once, queue. */
export async function handleShopifyWebhook(request: Request, expectedTopic: string) {
  const context = await authenticate.webhook(request);
  const storageTopic = expectedTopic.toUpperCase().replace(/\/|\./g, "_");
  if (String(context.topic) !== storageTopic) {
    return new Response(`This endpoint receives ${expectedTopic}`, { status: 400 });
  }
  await recordWebhook({
    platform: "shopify",
    shopDomain: context.shop,
    topic: expectedTopic,
    deliveryId: context.eventId ?? context.webhookId,
    apiVersion: context.apiVersion,
    triggeredAt: context.triggeredAt,
    payload: context.payload,
  });
  return new Response(null, { status: 200 });
}
