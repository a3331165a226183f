import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { markShopperRead } from "~/modules/conversations";
import { chatEndpoint, conversationFor, readJsonBody } from "~/modules/storefront";
import { authenticate } from "~/shopify.server";

/** POST /apps/shopdesk/read: the widget showed the shopper every message up to `upTo` (read receipt). */
export async function action({ request, context }: ActionFunctionArgs) {
  return chatEndpoint({ request, context }, authenticate.public.appProxy, async (caller) => {
    const conversation = await conversationFor(request, caller);
    const result = await markShopperRead(prisma, { shopId: caller.shopId, conversationId: conversation.id, body: await readJsonBody(request) });
    return Response.json(result, { headers: { "Cache-Control": "no-store" } });
  });
}
