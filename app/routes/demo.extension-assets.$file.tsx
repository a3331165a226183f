import type { LoaderFunctionArgs } from "@remix-run/node";
import { readExtensionAsset, requireDemoMode } from "~/modules/demo";

/** Serves the theme extension's assets as Shopify's CDN would (`asset_url`). */
export async function loader({ params }: LoaderFunctionArgs) {
  requireDemoMode();
  const asset = await readExtensionAsset(params.file ?? "");
  if (!asset) return new Response("Not found", { status: 404 });
  return new Response(asset.body, { headers: { "Content-Type": asset.contentType, "Cache-Control": "no-cache" } });
}
