import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { listPublicMessagesAfter } from "~/modules/conversations";
import { chatEndpoint, conversationFor, enforceRateLimit, RATE_LIMITS, readMessageText, streamReply } from "~/modules/storefront";
import { authenticate } from "~/shopify.server";

/** POST /apps/shopdesk/messages: the shopper's message; the reply streams back as server-sent events. */
export async function action({ request, context }: ActionFunctionArgs) {
  return chatEndpoint({ request, context }, authenticate.public.appProxy, async (caller) => {
    const conversation = await conversationFor(request, caller);
    await enforceRateLimit(`messages:${conversation.id}`, RATE_LIMITS.conversationMessages);
    const text = await readMessageText(request);
    return streamReply(caller, conversation, text, request.signal);
  });
}

/** GET /apps/shopdesk/messages?after=<id>: messages since the widget's last one (catch-up after a reconnect). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return chatEndpoint({ request, context }, authenticate.public.appProxy, async (caller) => {
    const conversation = await conversationFor(request, caller);
    const after = new URL(request.url).searchParams.get("after");
    const messages = await listPublicMessagesAfter(prisma, caller.shopId, conversation.id, after && after.length <= 64 ? after : null);
    return Response.json({ messages, status: conversation.status }, { headers: { "Cache-Control": "no-store" } });
  });
}
