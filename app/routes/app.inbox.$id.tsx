import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation, useRouteError, isRouteErrorResponse } from "@remix-run/react";
import { Banner, Text } from "@shopify/polaris";
import { z } from "zod";
import { ConversationView } from "~/components/inbox/ConversationView";
import { ConversationPredictionsPanel } from "~/components/predictions/ConversationPredictionsPanel";
import { parseConversationForm, runConversationCommand } from "~/components/inbox/conversation-actions.server";
import { toConversationViewData, toPanelData } from "~/components/inbox/view-model";
import prisma from "~/db.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { getConversationDetail, getCustomerPanel, InboxError, listMacros } from "~/modules/inbox";
import { getConversationPredictions } from "~/modules/predictions";
import { listStaff } from "~/modules/staff";

const Params = z.object({ id: z.string().min(1).max(64) });

export const meta: MetaFunction = () => [{ title: "Conversation · Shopdesk" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = Params.parse(params);
  const { shop, staff } = await authenticateStaff(request);
  const scope = { shopId: shop.id, staffId: staff.id, conversationId: id };
  const [detail, panel, macros, team, predictions] = await Promise.all([
    getConversationDetail(prisma, scope),
    getCustomerPanel(prisma, { shopId: shop.id, conversationId: id }),
    listMacros(prisma, { shopId: shop.id, staffId: staff.id }),
    listStaff(prisma, shop.id),
    getConversationPredictions(prisma, { shopId: shop.id, conversationId: id, currency: shop.currency }),
  ]).catch((error: unknown) => {
    // Another shop's conversation, or none: the queries' 404 becomes the route's.
    if (error instanceof InboxError) throw new Response(error.message, { status: error.status });
    throw error;
  });
  const search = new URL(request.url).search;
  return json({
    ...toConversationViewData({
      detail,
      panel: toPanelData(panel, (other) => `/app/inbox/${other}${search}`, shop.currency),
      macros,
      staff: team,
      me: { id: staff.id, name: staff.name },
      timeZone: shop.timezone,
      now: new Date(),
    }),
    predictions,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = Params.parse(params);
  const form = parseConversationForm(await request.formData());
  if (!form.ok) return form.response;
  const { shop, staff } = await authenticateStaff(request);
  return runConversationCommand({ shopId: shop.id, staffId: staff.id, conversationId: id }, form.data);
}

export default function ConversationRoute() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <ConversationView
      data={data}
      actionUrl={`/app/inbox/${data.conversation.id}${location.search}`}
      beside={<ConversationPredictionsPanel data={data.predictions} />}
    />
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const missing = isRouteErrorResponse(error) && error.status === 404;
  // Other responses (Shopify's session bounce) are the app layout's to handle.
  if (isRouteErrorResponse(error) && !missing) throw error;
  return (
    <section className="inbox-pane" aria-label="Conversation">
      <div className="inbox-empty">
        <Banner tone={missing ? "warning" : "critical"} title={missing ? "Conversation not found" : "The conversation could not be loaded"}>
          <Text as="p">{missing ? "It may have been merged or removed. Pick another one from the list." : "Try again in a moment."}</Text>
        </Banner>
      </div>
    </section>
  );
}
