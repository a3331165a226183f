import type { ActionFunctionArgs } from "@remix-run/node";
import { chatEndpoint, openConversation, parseBody, StartBody } from "~/modules/storefront";
import { authenticate } from "~/shopify.server";

/** POST /apps/shopdesk/conversations: resume the shopper's conversation from its token, or start one. */
export async function action({ request, context }: ActionFunctionArgs) {
  return chatEndpoint({ request, context }, authenticate.public.appProxy, async (caller) => {
    const body = await parseBody(request, StartBody);
    return Response.json(await openConversation(caller, body), { headers: { "Cache-Control": "no-store" } });
  });
}
