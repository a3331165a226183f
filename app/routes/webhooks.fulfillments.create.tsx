import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopifyWebhook } from "~/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => handleShopifyWebhook(request, "fulfillments/create");
