import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import {
  type ShouldRevalidateFunction,
  useFetcher,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  Divider,
  EmptySearchResult,
  EmptyState,
  IndexFilters,
  IndexFiltersMode,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Select,
  Text,
  TextField,
  useSetIndexFiltersMode,
} from "@shopify/polaris";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { KnowledgeError, type KnowledgeMatch, listSources, searchKnowledge } from "~/modules/knowledge";
import { ensureShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";
import { appPath, FloatingNotice, FormattedDate } from "~/components/knowledge/ArticleForm";

// ---------------------------------------------------------------- Server

const KINDS = ["article", "policy", "product", "faq"] as const;
const STATUSES = ["published", "draft"] as const;
const LANGUAGE_CODE = /^[a-z]{2}(-[A-Z]{2})?$/;
const PAGE_SIZE = 25;

/** The list's URL parameters. Anything unusable in a shared or hand-edited URL is ignored rather than refused. */
const ListQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  kind: z.enum(KINDS).optional().catch(undefined),
  language: z.string().regex(LANGUAGE_CODE).optional().catch(undefined),
  status: z.enum(STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  deleted: z.string().max(300).optional().catch(undefined),
});

const SearchFormSchema = z.object({
  intent: z.literal("search"),
  question: z.string().max(2000).default(""),
  language: z.union([z.literal(""), z.string().regex(LANGUAGE_CODE)]).default(""),
});

export const meta: MetaFunction = () => [{ title: "Knowledge · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const query = ListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const list = await listSources(shop.id, {
    query: query.q || undefined,
    kind: query.kind,
    language: query.language,
    status: query.status,
    page: query.page,
    pageSize: PAGE_SIZE,
  });
  return json({ ...list, deleted: query.deleted ?? null });
}

interface SearchResponse {
  intent: "search";
  question: string;
  matches: KnowledgeMatch[] | null;
  error: { message: string; field: string | null } | null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = SearchFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json<SearchResponse>(
      { intent: "search", question: "", matches: null, error: { message: "This request is not understood", field: null } },
      { status: 400 },
    );
  }
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const { question, language } = parsed.data;
  try {
    const matches = await searchKnowledge({ shopId: shop.id, query: question, language: language || undefined, limit: 5 });
    return json<SearchResponse>({ intent: "search", question, matches, error: null });
  } catch (error) {
    if (!(error instanceof KnowledgeError)) throw error;
    const field = error.field === "query" ? "question" : (error.field ?? null);
    return json<SearchResponse>({ intent: "search", question, matches: null, error: { message: error.message, field } }, { status: error.status });
  }
}

/** Asking a question reads the index; it changes nothing, so the list need not reload after it. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "search" ? false : defaultShouldRevalidate;

// ---------------------------------------------------------------- Presentation helpers

const KIND_LABELS: Record<string, { one: string; many: string }> = {
  article: { one: "Article", many: "Articles" },
  policy: { one: "Policy", many: "Policies" },
  product: { one: "Product", many: "Products" },
  faq: { one: "FAQ", many: "FAQs" },
};

const LANGUAGE_NAMES: Record<string, string> = {
  en: "English",
  fr: "French",
  de: "German",
  es: "Spanish",
  it: "Italian",
  nl: "Dutch",
  "pt-BR": "Portuguese (Brazil)",
  "pt-PT": "Portuguese (Portugal)",
  sv: "Swedish",
  da: "Danish",
  nb: "Norwegian",
  fi: "Finnish",
  pl: "Polish",
  ja: "Japanese",
  ko: "Korean",
  "zh-CN": "Chinese (Simplified)",
};

const languageName = (code: string) => LANGUAGE_NAMES[code] ?? code;
const kindLabel = (kind: string) => KIND_LABELS[kind]?.one ?? kind;
const count = (value: number) => value.toLocaleString("en-US");

/** A readable excerpt of a Markdown passage. */
function snippet(markdown: string, max = 280) {
  const text = markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/^\s*[-*+]\s+/gm, "")
    .replace(/[*_`>|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max).replace(/\s+\S*$/, "")}…` : text;
}

const EMPTY_ILLUSTRATION = `data:image/svg+xml;utf8,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160" fill="none">
    <rect x="38" y="24" width="150" height="112" rx="12" fill="#F1F1F1"/>
    <rect x="56" y="44" width="72" height="10" rx="5" fill="#C9CCCF"/>
    <rect x="56" y="66" width="114" height="6" rx="3" fill="#E1E3E5"/>
    <rect x="56" y="80" width="104" height="6" rx="3" fill="#E1E3E5"/>
    <rect x="56" y="94" width="110" height="6" rx="3" fill="#E1E3E5"/>
    <rect x="56" y="108" width="64" height="6" rx="3" fill="#E1E3E5"/>
    <circle cx="176" cy="40" r="20" fill="#29845A"/>
    <path d="M168 40l6 6 10-12" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
  </svg>`,
)}`;

// ---------------------------------------------------------------- Page

export default function KnowledgeList() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigation = useNavigation();
  const [searchParams, setSearchParams] = useSearchParams();
  const [deletedNoticeOpen, setDeletedNoticeOpen] = useState(true);

  const totalSources = Object.values(data.counts.status).reduce((sum, value) => sum + value, 0);
  const published = data.counts.status.published ?? 0;
  const drafts = data.counts.status.draft ?? 0;
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
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Stat label="Published" value={published} detail={`${count(drafts)} ${drafts === 1 ? "draft" : "drafts"}`} />
            <Stat label="Articles" value={data.counts.kind.article ?? 0} detail="written by your team" />
            <Stat label="Policies" value={data.counts.kind.policy ?? 0} detail="from your store settings" />
            <Stat label="Products" value={data.counts.kind.product ?? 0} detail="synced from your catalogue" />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <TryQuestion languages={Object.keys(data.counts.language).sort()} />
        </Layout.Section>
        <Layout.Section>
          {totalSources === 0 ? (
            <Card>
              <EmptyState
                heading="Teach the assistant about your store"
                action={{ content: "Add article", url: newArticleUrl }}
                secondaryAction={{ content: "Import articles", url: importUrl }}
                image={EMPTY_ILLUSTRATION}
              >
                <p>Write help articles in Markdown or import them from CSV, JSON or Markdown files.</p>
              </EmptyState>
            </Card>
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

function Stat({ label, value, detail }: { label: string; value: number; detail: string }) {
  return (
    <section aria-label={label}>
      <Card>
        <BlockStack gap="100">
          <Text as="h2" variant="headingSm" tone="subdued">
            {label}
          </Text>
          <Text as="p" variant="headingXl">
            {count(value)}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        </BlockStack>
      </Card>
    </section>
  );
}

type ListData = SerializeFrom<typeof loader>;

function SourceTable({
  data,
  totalSources,
  loading,
}: {
  data: ListData;
  totalSources: number;
  loading: boolean;
}) {
  const location = useLocation();
  const [searchParams, setSearchParams] = useSearchParams();
  const urlQuery = searchParams.get("q") ?? "";
  const kind = searchParams.get("kind") ?? "";
  const language = searchParams.get("language") ?? "";
  const status = searchParams.get("status") ?? "";
  const hasFilters = Boolean(urlQuery || kind || language);
  const { mode, setMode } = useSetIndexFiltersMode(hasFilters ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);

  const applyParams = useCallback(
    (changes: Record<string, string | null>) => {
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          next.delete("page");
          next.delete("deleted");
          return next;
        },
        { replace: true, preventScrollReset: true },
      );
    },
    [setSearchParams],
  );

  // The search box updates the URL 300 ms after the last keystroke; the URL stays the source of truth (back button).
  const [queryValue, setQueryValue] = useState(urlQuery);
  const pushedQuery = useRef(urlQuery);
  useEffect(() => {
    if (urlQuery !== pushedQuery.current) {
      pushedQuery.current = urlQuery;
      setQueryValue(urlQuery);
    }
  }, [urlQuery]);
  useEffect(() => {
    const wanted = queryValue.trim();
    if (wanted === pushedQuery.current) return;
    const timer = setTimeout(() => {
      pushedQuery.current = wanted;
      applyParams({ q: wanted || null });
    }, 300);
    return () => clearTimeout(timer);
  }, [queryValue, applyParams]);

  const tabs = [
    { id: "all", content: "All", badge: count(totalSources), status: "" },
    { id: "published", content: "Published", badge: count(data.counts.status.published ?? 0), status: "published" },
    { id: "draft", content: "Drafts", badge: count(data.counts.status.draft ?? 0), status: "draft" },
  ];
  const selectedTab = Math.max(
    tabs.findIndex((tab) => tab.status === status),
    0,
  );

  const kindChoices = KINDS.filter((value) => (data.counts.kind[value] ?? 0) > 0 || value === kind).map((value) => ({
    value,
    label: `${KIND_LABELS[value]?.many ?? value} (${count(data.counts.kind[value] ?? 0)})`,
  }));
  const languageChoices = Object.entries(data.counts.language)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([value, total]) => ({ value, label: `${languageName(value)} (${count(total)})` }));

  const filters = [
    {
      key: "kind",
      label: "Type",
      shortcut: true,
      filter: (
        <ChoiceList
          title="Type"
          titleHidden
          choices={kindChoices}
          selected={kind ? [kind] : []}
          onChange={([value]) => applyParams({ kind: value ?? null })}
        />
      ),
    },
    {
      key: "language",
      label: "Language",
      shortcut: true,
      filter: (
        <ChoiceList
          title="Language"
          titleHidden
          choices={languageChoices}
          selected={language ? [language] : []}
          onChange={([value]) => applyParams({ language: value ?? null })}
        />
      ),
    },
  ];
  const appliedFilters = [
    ...(kind ? [{ key: "kind", label: `Type: ${KIND_LABELS[kind]?.many ?? kind}`, onRemove: () => applyParams({ kind: null }) }] : []),
    ...(language ? [{ key: "language", label: `Language: ${languageName(language)}`, onRemove: () => applyParams({ language: null }) }] : []),
  ];

  const from = data.total === 0 ? 0 : (data.page - 1) * data.pageSize + 1;
  const to = Math.min(data.page * data.pageSize, data.total);
  const goToPage = (page: number) =>
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (page > 1) next.set("page", String(page));
        else next.delete("page");
        return next;
      },
      { preventScrollReset: false },
    );

  const rows = data.items.map((item, index) => (
    <IndexTable.Row id={item.id} key={item.id} position={index}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <Link url={appPath(`/app/knowledge/${item.id}`, location.search)} monochrome removeUnderline dataPrimaryLink>
            <Text as="span" variant="bodyMd" fontWeight="semibold">
              {item.title}
            </Text>
          </Link>
          {item.tags.length > 0 ? (
            <Text as="span" variant="bodySm" tone="subdued" truncate>
              {item.tags.slice(0, 5).join(", ")}
              {item.tags.length > 5 ? ` +${item.tags.length - 5}` : ""}
            </Text>
          ) : null}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>{kindLabel(item.kind)}</IndexTable.Cell>
      <IndexTable.Cell>
        {item.status === "published" ? <Badge tone="success">Published</Badge> : <Badge tone="info">Draft</Badge>}
      </IndexTable.Cell>
      <IndexTable.Cell>{languageName(item.language)}</IndexTable.Cell>
      <IndexTable.Cell>
        {item.chunks > 0 ? (
          <Text as="span" numeric>
            {count(item.chunks)} {item.chunks === 1 ? "passage" : "passages"}
          </Text>
        ) : (
          <Text as="span" tone="subdued">
            Not indexed
          </Text>
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" tone="subdued">
          v{item.version} · <FormattedDate iso={item.updatedAt} />
        </Text>
      </IndexTable.Cell>
    </IndexTable.Row>
  ));

  return (
    <Card padding="0">
      <IndexFilters
        tabs={tabs.map(({ status: _status, ...tab }) => tab)}
        selected={selectedTab}
        onSelect={(index) => applyParams({ status: tabs[index]?.status || null })}
        canCreateNewView={false}
        queryValue={queryValue}
        queryPlaceholder="Search titles, content and tags"
        onQueryChange={setQueryValue}
        onQueryClear={() => setQueryValue("")}
        filters={filters}
        appliedFilters={appliedFilters}
        onClearAll={() => {
          setQueryValue("");
          pushedQuery.current = "";
          applyParams({ q: null, kind: null, language: null });
        }}
        cancelAction={{
          onAction: () => {
            setQueryValue("");
            pushedQuery.current = "";
            applyParams({ q: null, kind: null, language: null });
          },
        }}
        mode={mode}
        setMode={setMode}
        loading={loading}
        filteringAccessibilityLabel="Search and filter sources"
      />
      <IndexTable
        resourceName={{ singular: "source", plural: "sources" }}
        itemCount={data.items.length}
        selectable={false}
        loading={loading}
        emptyState={
          <Box paddingBlock="1000">
            <EmptySearchResult
              title="No sources found"
              description="Try changing the search or the filters."
              withIllustration
            />
          </Box>
        }
        headings={[
          { title: "Title" },
          { title: "Type" },
          { title: "Status" },
          { title: "Language" },
          { title: "Search index" },
          { title: "Updated" },
        ]}
        pagination={
          data.total > data.pageSize
            ? {
                hasPrevious: data.page > 1,
                hasNext: data.page * data.pageSize < data.total,
                onPrevious: () => goToPage(data.page - 1),
                onNext: () => goToPage(data.page + 1),
                label: `${count(from)}–${count(to)} of ${count(data.total)}`,
              }
            : undefined
        }
      >
        {rows}
      </IndexTable>
    </Card>
  );
}

// ---------------------------------------------------------------- Try a question

function formatScore(value: number | null, digits: number) {
  return value === null ? "—" : value.toFixed(digits);
}

function TryQuestion({ languages }: { languages: string[] }) {
  const fetcher = useFetcher<SearchResponse>();
  const location = useLocation();
  const [question, setQuestion] = useState("");
  const [language, setLanguage] = useState("");
  const busy = fetcher.state !== "idle";
  const [cleared, setCleared] = useState<unknown>(null);
  const result = fetcher.data && fetcher.data !== cleared ? fetcher.data : undefined;

  let body: ReactNode;
  if (result?.error && result.error.field !== "question") {
    body = (
      <Banner tone="critical" title="The search did not run">
        <p>{result.error.message}</p>
      </Banner>
    );
  } else if (result?.matches && result.matches.length === 0) {
    body = (
      <Box paddingBlock="600">
        <BlockStack gap="200" inlineAlign="center">
          <Text as="h3" variant="headingSm">
            No passage matches this question
          </Text>
          <Text as="p" tone="subdued" alignment="center">
            The assistant would have nothing to answer from. Write an article about it, or check that the article is
            published and indexed.
          </Text>
        </BlockStack>
      </Box>
    );
  } else if (result?.matches) {
    body = (
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
          <Text as="p" variant="bodySm" tone="subdued">
            {result.matches.length} {result.matches.length === 1 ? "passage" : "passages"} for “{result.question}”, best
            first. The fused score is the meaning (vector) similarity plus a small bonus for matching keywords (text).
          </Text>
          <Button variant="plain" onClick={() => setCleared(fetcher.data)}>
            Clear
          </Button>
        </InlineStack>
        <ol aria-label="Retrieved passages" style={{ listStyle: "none", margin: 0, padding: 0, opacity: busy ? 0.5 : 1 }}>
          {result.matches.map((match, index) => (
            <li key={match.chunkId}>
              {index > 0 ? <Divider /> : null}
              <Box paddingBlock="300">
                <InlineStack gap="300" wrap={false} blockAlign="start">
                  <Box minWidth="28px">
                    <Text as="span" variant="headingMd" tone="subdued" numeric>
                      {index + 1}
                    </Text>
                  </Box>
                  <BlockStack gap="150">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="h3" variant="headingSm">
                        <Link url={appPath(`/app/knowledge/${match.sourceId}`, location.search)} removeUnderline>
                          {match.title}
                        </Link>
                      </Text>
                      <Badge>{kindLabel(match.kind)}</Badge>
                      {languages.length > 1 ? <Badge tone="info">{languageName(match.language)}</Badge> : null}
                    </InlineStack>
                    {match.heading ? (
                      <Text as="p" variant="bodySm" fontWeight="medium" tone="subdued">
                        § {match.heading}
                      </Text>
                    ) : null}
                    <Text as="p">{snippet(match.content)}</Text>
                    <InlineStack gap="200">
                      <Badge tone={index === 0 ? "success" : undefined}>{`Fused ${formatScore(match.score, 4)}`}</Badge>
                      <Badge>{`Vector ${formatScore(match.vectorScore, 3)}`}</Badge>
                      <Badge>{`Text ${formatScore(match.textScore, 3)}`}</Badge>
                    </InlineStack>
                  </BlockStack>
                </InlineStack>
              </Box>
            </li>
          ))}
        </ol>
      </BlockStack>
    );
  } else {
    body = null;
  }

  return (
    <section aria-label="Try a question">
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Try a question
            </Text>
            <Text as="p" tone="subdued">
              Ask what a shopper would ask, in their words, to see which passages the assistant would answer from.
            </Text>
          </BlockStack>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="search" />
            <InlineStack gap="200" wrap={false} blockAlign="start">
              <div style={{ flex: 1 }}>
                <TextField
                  label="Question"
                  labelHidden
                  name="question"
                  value={question}
                  onChange={setQuestion}
                  autoComplete="off"
                  placeholder="e.g. Can I send back boots I wore once?"
                  error={result?.error?.field === "question" ? result.error.message : undefined}
                  connectedRight={
                    languages.length > 1 ? (
                      <Select
                        label="Language"
                        labelHidden
                        name="language"
                        value={language}
                        onChange={setLanguage}
                        options={[{ label: "Any language", value: "" }, ...languages.map((code) => ({ label: languageName(code), value: code }))]}
                      />
                    ) : undefined
                  }
                />
              </div>
              <Button variant="primary" submit loading={busy}>
                Ask
              </Button>
            </InlineStack>
          </fetcher.Form>
          {body}
        </BlockStack>
      </Card>
    </section>
  );
}
