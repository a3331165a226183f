import type { LoaderFunctionArgs } from "@remix-run/node";
import { chatEndpoint, conversationFor, streamEvents } from "~/modules/storefront";
import { authenticate } from "~/shopify.server";

/** GET /apps/shopdesk/events[?after=<id>]: live staff replies and handoffs for the open widget (SSE). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return chatEndpoint({ request, context }, authenticate.public.appProxy, async (caller) => {
    const conversation = await conversationFor(request, caller);
    const after = new URL(request.url).searchParams.get("after");
    return streamEvents(caller, conversation, after && after.length <= 64 ? after : null, request.signal);
  });
}
