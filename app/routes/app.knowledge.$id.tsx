import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { appPath } from "~/components/app-path";
import { SourceEditor } from "~/components/knowledge/SourceEditor";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { EDITOR_NOT_UNDERSTOOD, EditorActionSchema, editSource, KnowledgeError, loadSourceEditor, SourceParamsSchema } from "~/modules/knowledge";
import { ensureShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

function notFound(error: unknown): never {
  if (error instanceof KnowledgeError) throw json({ message: error.message }, { status: error.status });
  throw error;
}

export const meta: MetaFunction = () => [{ title: "Article · Shopdesk" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = SourceParamsSchema.safeParse(params);
  if (!parsed.success) throw json({ message: "This knowledge source does not exist" }, { status: 404 });
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  return json(await loadSourceEditor(shop.id, parsed.data.id, new URL(request.url).searchParams).catch(notFound));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsedParams = SourceParamsSchema.safeParse(params);
  const parsed = EditorActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsedParams.success || !parsed.success) return json(EDITOR_NOT_UNDERSTOOD, { status: 400 });
  const { shop, staff } = await authenticateStaff(request);
  const outcome = await editSource(shop.id, parsedParams.data.id, parsed.data, staff.name);
  if (outcome.deleted) return redirect(appPath("/app/knowledge", new URL(request.url).search, { deleted: outcome.title }));
  return json(outcome.body, { status: outcome.status });
}

export default function EditSource() {
  const { source, versions, notice } = useLoaderData<typeof loader>();
  // A content change is a new version: the form then starts again from what was saved.
  return <SourceEditor key={`${source.id}:${source.version}`} source={source} versions={versions} loaderNotice={notice} />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title="Not found" backAction={{ content: "Knowledge", url: appPath("/app/knowledge", location.search) }}>
        <Banner tone="warning" title="This knowledge source does not exist">
          <p>It may have been deleted, or the product it came from was removed from your store.</p>
        </Banner>
      </Page>
    );
  }
  // Anything else (Shopify's auth responses included) is for the app layout's boundary.
  throw error;
}
