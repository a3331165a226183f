import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { useLocation } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { appPath } from "~/components/app-path";
import { ImportFormats } from "~/components/knowledge/ImportFormats";
import { ImportUploader } from "~/components/knowledge/ImportUploader";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { IMPORT_TOO_LARGE, ImportFormSchema, type ImportResponse, importFailure, importUpload, MAX_IMPORT_BYTES, NOT_UNDERSTOOD, type Reply } from "~/modules/knowledge";
import { authenticate } from "~/shopify.server";

const send = (reply: Reply<ImportResponse>) => json(reply.body, { status: reply.status });

export const meta: MetaFunction = () => [{ title: "Import articles · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  // Authenticated before the body is read: nobody else gets to upload 5 MB into the server's memory.
  const { shop, staff } = await authenticateStaff(request);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return send(importFailure(413, IMPORT_TOO_LARGE, null, "file"));
    throw error;
  }
  const parsed = ImportFormSchema.safeParse({ file: form.get("file"), publish: form.get("publish") ?? undefined });
  if (!parsed.success) return send(importFailure(400, parsed.error.issues[0]?.message ?? NOT_UNDERSTOOD, null, "file"));
  return send(await importUpload(shop.id, parsed.data, staff.name));
}

export default function ImportKnowledge() {
  const location = useLocation();
  const listUrl = appPath("/app/knowledge", location.search);
  return (
    <Page title="Import articles" backAction={{ content: "Knowledge", url: listUrl }}>
      <Layout>
        <Layout.Section>
          <ImportUploader listUrl={listUrl} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <ImportFormats />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
