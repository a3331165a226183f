import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { requestHandoff } from "~/modules/conversations";
import { chatEndpoint, conversationFor } from "~/modules/storefront";
import { authenticate } from "~/shopify.server";

/** POST /apps/shopdesk/handoff: "Talk to a person", at any time. */
export async function action({ request, context }: ActionFunctionArgs) {
  return chatEndpoint({ request, context }, authenticate.public.appProxy, async (caller) => {
    const conversation = await conversationFor(request, caller);
    return Response.json(await requestHandoff(prisma, { shopId: caller.shopId, conversationId: conversation.id }), { headers: { "Cache-Control": "no-store" } });
  });
}
