import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { type ShouldRevalidateFunction, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { Box, Layout, Page } from "@shopify/polaris";
import { useState } from "react";
import { FloatingNotice } from "~/components/knowledge/ArticleForm";
import { appPath } from "~/components/app-path";
import { KnowledgeEmptyState } from "~/components/knowledge/KnowledgeEmptyState";
import { SourceStats } from "~/components/knowledge/SourceStats";
import { SourceTable } from "~/components/knowledge/SourceTable";
import { TryQuestion } from "~/components/knowledge/TryQuestion";
import { loadSourceList, SEARCH_NOT_UNDERSTOOD, SearchFormSchema, tryQuestion } from "~/modules/knowledge";
import { ensureShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Knowledge · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  return json(await loadSourceList(shop.id, new URL(request.url).searchParams));
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = SearchFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json(SEARCH_NOT_UNDERSTOOD, { status: 400 });
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const reply = await tryQuestion(shop.id, parsed.data);
  return json(reply.body, { status: reply.status });
}

/** Asking a question reads the index; it changes nothing, so the list need not reload after it. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "search" ? false : defaultShouldRevalidate;

export default function KnowledgeList() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigation = useNavigation();
  const [searchParams, setSearchParams] = useSearchParams();
  const [deletedNoticeOpen, setDeletedNoticeOpen] = useState(true);

  const totalSources = Object.values(data.counts.status).reduce((sum, value) => sum + value, 0);
  const newArticleUrl = appPath("/app/knowledge/new", location.search);
  const importUrl = appPath("/app/knowledge/import", location.search);

  const dismissDeleted = () => {
    setDeletedNoticeOpen(false);
    const next = new URLSearchParams(searchParams);
    next.delete("deleted");
    setSearchParams(next, { replace: true, preventScrollReset: true });
  };

  return (
    <Page
      title="Knowledge"
      subtitle="Everything the assistant may answer from: your articles, store policies and products."
      primaryAction={{ content: "Add article", url: newArticleUrl }}
      secondaryActions={[{ content: "Import", url: importUrl }]}
    >
      <Layout>
        <Layout.Section>
          <SourceStats counts={data.counts} />
        </Layout.Section>
        <Layout.Section>
          <TryQuestion languages={Object.keys(data.counts.language).sort()} />
        </Layout.Section>
        <Layout.Section>
          {totalSources === 0 ? (
            <KnowledgeEmptyState newArticleUrl={newArticleUrl} importUrl={importUrl} />
          ) : (
            <SourceTable
              data={data}
              totalSources={totalSources}
              loading={navigation.state === "loading" && navigation.location.pathname === location.pathname}
            />
          )}
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
      {data.deleted && deletedNoticeOpen ? (
        <FloatingNotice key={data.deleted} title={`“${data.deleted}” was deleted`} onDismiss={dismissDeleted}>
          <p>The assistant no longer uses it.</p>
        </FloatingNotice>
      ) : null}
    </Page>
  );
}
