import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { handleStripeAction, stripeSettingsFromEnv } from "~/modules/commerce";

/** The Stripe card's form: connect, disconnect, retry a failed event (the card is on /app/integrations). */
export async function action({ request }: ActionFunctionArgs) {
  const { shop, staff } = await authenticateStaff(request);
  const result = await handleStripeAction(prisma, { shopId: shop.id, role: staff.role }, await request.formData(), stripeSettingsFromEnv());
  return Response.json(result, { status: result.ok ? 200 : result.forbidden ? 403 : 400 });
}
