import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { exportConversationsCsv, IsoDay, MAX_PERIOD_DAYS } from "~/modules/analytics";
import { ensureShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

/**
 * The dashboard's CSV: one row per conversation of the period (`?from=YYYY-MM-DD&to=YYYY-MM-DD`, days in the shop's
 * time zone), fetched by the dashboard with App Bridge's session token. 400 names the bad parameter.
 */
const Query = z
  .object({ from: IsoDay, to: IsoDay })
  .refine((value) => value.from <= value.to, { message: "to must not be before from", path: ["to"] })
  .refine((value) => Date.parse(value.to) - Date.parse(value.from) < MAX_PERIOD_DAYS * 86_400_000, { message: `a period is at most ${MAX_PERIOD_DAYS} days`, path: ["to"] });

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const parsed = Query.safeParse({ from: params.get("from") ?? undefined, to: params.get("to") ?? undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return json({ error: `${String(issue?.path[0] ?? "from")}: ${issue?.message ?? "invalid period"}`, field: String(issue?.path[0] ?? "from") }, { status: 400 });
  }
  const shop = await ensureShop(session.shop);
  const exported = await exportConversationsCsv({ shopId: shop.id, period: parsed.data });
  if (!exported) return json({ error: "Shop not found" }, { status: 404 });
  return new Response(exported.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="conversations-${parsed.data.from}-to-${parsed.data.to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
