import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopifyWebhook } from "~/modules/commerce";

export const action = ({ request }: ActionFunctionArgs) => handleShopifyWebhook(request, "app/uninstalled");
