import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "~/db.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { downloadDataRequestExport } from "~/modules/privacy";

/**
 * A customers/data_request export as a JSON file, for a staff member of the shop it belongs to (the page
 * fetches it with App Bridge's session token). Another shop's export does not exist here (404); an expired or
 * erased one is gone (410).
 */
const Params = z.object({ id: z.uuid() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, staff } = await authenticateStaff(request);
  const parsed = Params.safeParse(params);
  if (!parsed.success) return json({ error: "No such data request export." }, { status: 404 });
  const download = await downloadDataRequestExport(prisma, { shopId: shop.id, exportId: parsed.data.id, staffId: staff.id });
  switch (download.kind) {
    case "not_found":
      return json({ error: "No such data request export." }, { status: 404 });
    case "erased":
      return json({ error: "This export was erased with the customer's data (Shopify's customers/redact request)." }, { status: 410 });
    case "expired":
      return json({ error: `This export expired on ${download.expiresAt.toISOString().slice(0, 10)}; its content was deleted.` }, { status: 410 });
    case "ready":
      return new Response(download.json, {
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "Content-Disposition": `attachment; filename="${download.fileName}"`,
          "Cache-Control": "no-store",
        },
      });
  }
}
