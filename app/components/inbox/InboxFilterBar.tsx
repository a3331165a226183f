import { useNavigate, useSearchParams } from "@remix-run/react";
import { ChoiceList, Filters, InlineStack, Tabs, TextField } from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { useUrlSearchBox } from "~/components/use-url-search-box";
import { ANALYTICS_SEGMENTS, isAnalyticsSegment, SEGMENT_LABELS } from "~/modules/analytics";
import { INBOX_PRIORITIES, INBOX_VIEWS, type InboxPriority, type InboxView } from "~/modules/inbox";
import { CHANNEL_LABELS, capitalise } from "./format";
import type { StaffOption } from "./types";

const VIEW_LABELS: Record<InboxView, string> = {
  mine: "Mine",
  unassigned: "Unassigned",
  waiting: "Waiting on us",
  open: "All open",
  snoozed: "Snoozed",
  resolved: "Resolved",
  all: "All",
};

/** The URL keys the list reads; everything else (embedded admin's shop, host…) passes through untouched. */
const FILTER_KEYS = ["assignee", "priority", "intent", "sentiment", "language", "channel", "tag", "from", "to", "metric", "q"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

const SENTIMENTS = [
  { value: "negative", label: "Negative" },
  { value: "neutral", label: "Neutral" },
  { value: "positive", label: "Positive" },
];

/**
 * Views with counts, search and filters. The URL is the only state: every change replaces the search params
 * (and drops the page cursor), so a reload, the back button or a shared link shows the same list.
 */
export function InboxFilterBar({
  view,
  counts,
  staff,
  meId,
  onChangeStart,
}: {
  view: InboxView;
  counts: Record<InboxView, number>;
  staff: StaffOption[];
  meId: string;
  /** Called before the URL changes (the list clears its selection). */
  onChangeStart: () => void;
}) {
  const [searchParams] = useSearchParams();
  const get = (key: FilterKey) => searchParams.get(key) ?? "";

  const navigate = useNavigate();
  const apply = useCallback(
    (changes: Partial<Record<FilterKey | "view", string | null>>) => {
      onChangeStart();
      // From the address bar, not the router's state: a revalidation that started before the last change can
      // briefly put the older location back in the router, and building on it would undo that change.
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      next.delete("cursor");
      // The open conversation stays open; the list beside it changes.
      navigate(`${window.location.pathname}?${next}`, { replace: true, preventScrollReset: true });
    },
    [navigate, onChangeStart],
  );

  const { query, setQuery, clear } = useUrlSearchBox(get("q"), (q) => apply({ q }));

  const tabs = INBOX_VIEWS.map((name) => ({
    id: `inbox-view-${name}`,
    content: VIEW_LABELS[name],
    badge: counts[name].toLocaleString("en-US"),
    accessibilityLabel: `${VIEW_LABELS[name]}, ${counts[name]} ${counts[name] === 1 ? "conversation" : "conversations"}`,
  }));

  const priorities = get("priority")
    .split(",")
    .filter((value): value is InboxPriority => (INBOX_PRIORITIES as readonly string[]).includes(value));
  const staffName = (id: string) => (id === "me" ? "Me" : id === "none" ? "Unassigned" : (staff.find((member) => member.id === id)?.name ?? "Someone"));
  const single = (key: FilterKey, title: string, choices: { value: string; label: string }[]) => (
    <ChoiceList title={title} titleHidden choices={choices} selected={get(key) ? [get(key)] : []} onChange={([value]) => apply({ [key]: value ?? null })} />
  );

  const filters = [
    {
      key: "assignee",
      label: "Assignee",
      shortcut: true,
      filter: single("assignee", "Assignee", [
        { value: "me", label: "Me" },
        { value: "none", label: "Unassigned" },
        ...staff.filter((member) => member.id !== meId).map((member) => ({ value: member.id, label: member.name })),
      ]),
    },
    {
      key: "priority",
      label: "Priority",
      shortcut: true,
      filter: (
        <ChoiceList
          title="Priority"
          titleHidden
          allowMultiple
          choices={INBOX_PRIORITIES.map((value) => ({ value, label: capitalise(value) }))}
          selected={priorities}
          onChange={(values) => apply({ priority: values.length ? INBOX_PRIORITIES.filter((value) => values.includes(value)).join(",") : null })}
        />
      ),
    },
    { key: "intent", label: "Intent", filter: <DebouncedField label="Intent" value={get("intent")} onCommit={(value) => apply({ intent: value || null })} placeholder="e.g. track_order" /> },
    { key: "sentiment", label: "Sentiment", filter: single("sentiment", "Sentiment", SENTIMENTS) },
    {
      key: "language",
      label: "Language",
      filter: <DebouncedField label="Language" value={get("language")} onCommit={(value) => apply({ language: value.toLowerCase() || null })} placeholder="Two letters, e.g. fr" />,
    },
    {
      key: "channel",
      label: "Channel",
      filter: single(
        "channel",
        "Channel",
        Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label })),
      ),
    },
    { key: "tag", label: "Tag", shortcut: true, filter: <DebouncedField label="Tag" value={get("tag")} onCommit={(value) => apply({ tag: value || null })} /> },
    {
      // The dashboard's drill-downs: the conversations behind one of its figures (by its definitions).
      key: "metric",
      label: "Dashboard figure",
      filter: single(
        "metric",
        "Dashboard figure",
        ANALYTICS_SEGMENTS.map((value) => ({ value, label: SEGMENT_LABELS[value] })),
      ),
    },
    {
      key: "date",
      label: "Date",
      filter: (
        <InlineStack gap="200" wrap={false}>
          <TextField label="From" type="date" value={get("from")} onChange={(value) => apply({ from: value || null })} autoComplete="off" />
          <TextField label="To" type="date" value={get("to")} onChange={(value) => apply({ to: value || null })} autoComplete="off" />
        </InlineStack>
      ),
    },
  ];

  const applied: { key: string; label: string; onRemove: () => void }[] = [];
  const pill = (key: FilterKey, label: string) => {
    if (get(key)) applied.push({ key, label, onRemove: () => apply({ [key]: null }) });
  };
  pill("assignee", `Assignee: ${staffName(get("assignee"))}`);
  pill("priority", `Priority: ${priorities.map(capitalise).join(", ")}`);
  pill("intent", `Intent: ${get("intent")}`);
  pill("sentiment", `Sentiment: ${capitalise(get("sentiment"))}`);
  pill("language", `Language: ${get("language")}`);
  pill("channel", `Channel: ${CHANNEL_LABELS[get("channel")] ?? get("channel")}`);
  pill("tag", `Tag: ${get("tag")}`);
  // A dashboard drill-down: the conversations behind one of its figures.
  const metric = get("metric");
  pill("metric", `Dashboard: ${isAnalyticsSegment(metric) ? SEGMENT_LABELS[metric] : metric}`);
  if (get("from") || get("to")) {
    applied.push({
      key: "date",
      label: `Date: ${get("from") || "…"} – ${get("to") || "…"}`,
      onRemove: () => apply({ from: null, to: null }),
    });
  }

  const clearAll = () => {
    clear();
    apply(Object.fromEntries(FILTER_KEYS.map((key) => [key, null])));
  };

  return (
    <div>
      <Tabs tabs={tabs} selected={Math.max(0, INBOX_VIEWS.indexOf(view))} onSelect={(index) => apply({ view: INBOX_VIEWS[index] ?? null })} fitted={false} />
      <Filters
        queryValue={query}
        queryPlaceholder="Search messages, customers and emails"
        onQueryChange={setQuery}
        onQueryClear={() => setQuery("")}
        filters={filters}
        appliedFilters={applied}
        onClearAll={clearAll}
      />
    </div>
  );
}

/** A text filter that writes to the URL when the person pauses or presses Enter. */
function DebouncedField({ label, value, onCommit, placeholder }: { label: string; value: string; onCommit: (value: string) => void; placeholder?: string }) {
  const [text, setText] = useState(value);
  const latest = useRef(onCommit);
  latest.current = onCommit;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => latest.current(text.trim()), 500);
    return () => clearTimeout(timer);
  }, [text, value]);
  return <TextField label={label} labelHidden value={text} onChange={setText} autoComplete="off" placeholder={placeholder} />;
}
