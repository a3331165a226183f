import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { authenticate } from "~/shopify.server";

/** Layout of the knowledge screens (list, editor, import): every page below it is for the shop's staff only. */
export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export default function KnowledgeLayout() {
  return <Outlet />;
}
