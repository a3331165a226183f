import type { SerializeFrom } from "@remix-run/node";
import { useLocation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  ChoiceList,
  EmptySearchResult,
  IndexFilters,
  IndexFiltersMode,
  IndexTable,
  Link,
  Text,
  useSetIndexFiltersMode,
} from "@shopify/polaris";
import { useCallback } from "react";
import { useUrlSearchBox } from "~/components/use-url-search-box";
import { KNOWLEDGE_KINDS, type SourceListPage } from "~/modules/knowledge";
import { appPath } from "~/components/app-path";
import { FormattedDate } from "~/components/FormattedDate";
import { formatCount, kindLabel, kindPluralLabel, languageName, plural } from "./format";

type ListData = SerializeFrom<SourceListPage>;

/** Changes URL parameters in place (history replaced); any change goes back to the first page and drops the deleted notice. */
function useApplyParams() {
  const [, setSearchParams] = useSearchParams();
  return useCallback(
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
}

/** The shop's sources: status tabs, search, type and language filters, one page of rows, pagination. */
export function SourceTable({ data, totalSources, loading }: { data: ListData; totalSources: number; loading: boolean }) {
  const location = useLocation();
  const [searchParams, setSearchParams] = useSearchParams();
  const applyParams = useApplyParams();
  const urlQuery = searchParams.get("q") ?? "";
  const kind = searchParams.get("kind") ?? "";
  const language = searchParams.get("language") ?? "";
  const status = searchParams.get("status") ?? "";
  const { mode, setMode } = useSetIndexFiltersMode(urlQuery || kind || language ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);
  const { query: queryValue, setQuery: setQueryValue, clear } = useUrlSearchBox(urlQuery, (q) => applyParams({ q }));
  const clearAll = () => {
    clear();
    applyParams({ q: null, kind: null, language: null });
  };

  const tabs = [
    { id: "all", content: "All", badge: formatCount(totalSources), status: "" },
    { id: "published", content: "Published", badge: formatCount(data.counts.status.published ?? 0), status: "published" },
    { id: "draft", content: "Drafts", badge: formatCount(data.counts.status.draft ?? 0), status: "draft" },
  ];
  const selectedTab = Math.max(
    tabs.findIndex((tab) => tab.status === status),
    0,
  );

  const kindChoices = KNOWLEDGE_KINDS.filter((value) => (data.counts.kind[value] ?? 0) > 0 || value === kind).map((value) => ({
    value,
    label: `${kindPluralLabel(value)} (${formatCount(data.counts.kind[value] ?? 0)})`,
  }));
  const languageChoices = Object.entries(data.counts.language)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([value, total]) => ({ value, label: `${languageName(value)} (${formatCount(total)})` }));
  const choiceFilter = (key: "kind" | "language", label: string, choices: { value: string; label: string }[], selected: string) => ({
    key,
    label,
    shortcut: true,
    filter: (
      <ChoiceList title={label} titleHidden choices={choices} selected={selected ? [selected] : []} onChange={([value]) => applyParams({ [key]: value ?? null })} />
    ),
  });
  const filters = [choiceFilter("kind", "Type", kindChoices, kind), choiceFilter("language", "Language", languageChoices, language)];
  const appliedFilters = [
    ...(kind ? [{ key: "kind", label: `Type: ${kindPluralLabel(kind)}`, onRemove: () => applyParams({ kind: null }) }] : []),
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
        onClearAll={clearAll}
        cancelAction={{ onAction: clearAll }}
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
            <EmptySearchResult title="No sources found" description="Try changing the search or the filters." withIllustration />
          </Box>
        }
        headings={[{ title: "Title" }, { title: "Type" }, { title: "Status" }, { title: "Language" }, { title: "Search index" }, { title: "Updated" }]}
        pagination={
          data.total > data.pageSize
            ? {
                hasPrevious: data.page > 1,
                hasNext: data.page * data.pageSize < data.total,
                onPrevious: () => goToPage(data.page - 1),
                onNext: () => goToPage(data.page + 1),
                label: `${formatCount(from)}–${formatCount(to)} of ${formatCount(data.total)}`,
              }
            : undefined
        }
      >
        {data.items.map((item, index) => (
          <SourceRow key={item.id} item={item} position={index} search={location.search} />
        ))}
      </IndexTable>
    </Card>
  );
}

function SourceRow({ item, position, search }: { item: ListData["items"][number]; position: number; search: string }) {
  return (
    <IndexTable.Row id={item.id} position={position}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <Link url={appPath(`/app/knowledge/${item.id}`, search)} monochrome removeUnderline dataPrimaryLink>
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
      <IndexTable.Cell>{item.status === "published" ? <Badge tone="success">Published</Badge> : <Badge tone="info">Draft</Badge>}</IndexTable.Cell>
      <IndexTable.Cell>{languageName(item.language)}</IndexTable.Cell>
      <IndexTable.Cell>
        {item.chunks > 0 ? (
          <Text as="span" numeric>
            {plural(item.chunks, "passage", "passages")}
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
  );
}
