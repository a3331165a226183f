import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { rateConversation } from "~/modules/conversations";
import { chatEndpoint, conversationFor, readJsonBody } from "~/modules/storefront";
import { authenticate } from "~/shopify.server";

/** POST /apps/shopdesk/rating: CSAT 1–5 with an optional comment when the shopper ends the chat. */
export async function action({ request, context }: ActionFunctionArgs) {
  return chatEndpoint({ request, context }, authenticate.public.appProxy, async (caller) => {
    const conversation = await conversationFor(request, caller);
    await rateConversation(prisma, caller.shopId, conversation.id, await readJsonBody(request));
    return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  });
}
