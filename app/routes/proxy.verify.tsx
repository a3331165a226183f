import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { verifyOrder } from "~/modules/conversations";
import { chatEndpoint, conversationFor, enforceRateLimit, parseBody, RATE_LIMITS, VerifyBody } from "~/modules/storefront";
import { authenticate } from "~/shopify.server";

/** POST /apps/shopdesk/verify: order number + checkout email; on success the order card joins the conversation. */
export async function action({ request, context }: ActionFunctionArgs) {
  return chatEndpoint({ request, context }, authenticate.public.appProxy, async (caller) => {
    const conversation = await conversationFor(request, caller);
    await enforceRateLimit(`verify:${conversation.id}`, RATE_LIMITS.conversationVerify);
    const body = await parseBody(request, VerifyBody);
    const result = await verifyOrder(prisma, { shopId: caller.shopId, conversationId: conversation.id, ...body });
    if (!result.verified) {
      // A locked order or conversation stays locked for the hour the lock counts attempts over.
      const headers: Record<string, string> = { "Cache-Control": "no-store", ...(result.locked ? { "Retry-After": "3600" } : {}) };
      return Response.json({ error: result.error }, { status: result.locked ? 429 : 422, headers });
    }
    return Response.json(result, { headers: { "Cache-Control": "no-store" } });
  });
}
