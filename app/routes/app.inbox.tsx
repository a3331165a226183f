import { type ActionFunctionArgs, json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, useLocation, useNavigate, useOutlet, useParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, Page, Text } from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { type BulkAction, ConversationList, rowElementId, type Selection } from "~/components/inbox/ConversationList";
import { useNow } from "~/components/inbox/format";
import inboxStyles from "~/components/inbox/inbox.css";
import { InboxFilterBar } from "~/components/inbox/InboxFilterBar";
import { LiveProvider, useInboxLive } from "~/components/inbox/LiveProvider";
import { ShortcutsModal, useShortcuts } from "~/components/inbox/shortcuts";
import prisma from "~/db.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import {
  bulkUpdate,
  countInboxViews,
  INBOX_PAGE_SIZE,
  InboxError,
  type InboxFilters,
  listInbox,
  MAX_BULK_IDS,
  parseInboxFilters,
  selectConversationIds,
} from "~/modules/inbox";
import { listStaff } from "~/modules/staff";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: inboxStyles }];

// ---------------------------------------------------------------- Server

export const meta: MetaFunction = () => [{ title: "Inbox · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  // A hand-edited or stale URL shows the default list with the reason, rather than an error page.
  let filters: InboxFilters;
  let filterError: string | null = null;
  try {
    filters = parseInboxFilters(params);
  } catch (error) {
    if (!(error instanceof InboxError)) throw error;
    filterError = error.message;
    filters = parseInboxFilters(new URLSearchParams());
  }
  const { shop, staff } = await authenticateStaff(request);
  const now = new Date();
  const scope = { shopId: shop.id, staffId: staff.id, now };
  const [page, counts, team] = await Promise.all([listInbox(prisma, { ...scope, filters }), countInboxViews(prisma, scope), listStaff(prisma, shop.id)]);
  // Without filters the view's count is the list's total; with them only the pages tell.
  const filtered = Object.keys(filters).some((key) => key !== "view" && key !== "cursor");
  return json({
    page,
    counts,
    total: filtered ? null : counts[filters.view],
    filters,
    filterError,
    me: { id: staff.id, name: staff.name },
    staff: team.map(({ id, name, email }) => ({ id, name, email })),
    timeZone: shop.timezone,
    now: now.toISOString(),
    pageSize: INBOX_PAGE_SIZE,
    bulkMax: MAX_BULK_IDS,
  });
}

const Ids = z
  .string()
  .transform((value) => value.split(",").filter(Boolean))
  .pipe(z.array(z.uuid({ error: "not a conversation id" })).min(1, "select at least one conversation").max(MAX_BULK_IDS, `select at most ${MAX_BULK_IDS} conversations`));

/** Either ticked conversations, or every one matching the list's current URL (filters). */
const Target = z.union([z.object({ scope: z.literal("ids"), ids: Ids }), z.object({ scope: z.literal("matching"), search: z.string().max(4000) })]);

const BulkForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("assign"), assigneeId: z.union([z.literal(""), z.uuid()]) }),
  z.object({ intent: z.literal("tag"), add: z.string().max(500).default(""), remove: z.string().max(500).default("") }),
  z.object({ intent: z.literal("resolve") }),
  z.object({ intent: z.literal("snooze"), until: z.iso.datetime({ offset: true }) }),
]);

export interface BulkResult {
  ok?: boolean;
  updated?: number;
  unchanged?: number;
  skipped?: number;
  /** More conversations matched than one bulk action takes (MAX_BULK_IDS); the first ones were changed. */
  truncated?: boolean;
  label?: string;
  error?: { message: string; field?: string | null };
}

const tagList = (value: string) =>
  value
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = BulkForm.safeParse(form);
  const target = Target.safeParse(form);
  if (!parsed.success || !target.success) {
    const issue = (parsed.error ?? target.error)?.issues[0];
    return json<BulkResult>({ error: { message: issue?.message ?? "This request is not understood", field: issue?.path.join(".") ?? null } }, { status: 400 });
  }
  const { shop, staff } = await authenticateStaff(request);
  const change = parsed.data;
  const scope = { shopId: shop.id, staffId: staff.id, now: new Date() };
  try {
    let ids: string[];
    let truncated = false;
    if (target.data.scope === "ids") ids = target.data.ids;
    else {
      const matching = await selectConversationIds(prisma, { ...scope, filters: parseInboxFilters(new URLSearchParams(target.data.search)), max: MAX_BULK_IDS });
      ({ ids, truncated } = matching);
      if (ids.length === 0) return json<BulkResult>({ error: { message: "No conversation matches these filters any more." } }, { status: 400 });
    }
    const base = { ...scope, ids };
    const result = await bulkUpdate(
      prisma,
      change.intent === "assign"
        ? { ...base, action: "assign", assigneeId: change.assigneeId || null }
        : change.intent === "tag"
          ? { ...base, action: "tag", add: tagList(change.add), remove: tagList(change.remove) }
          : change.intent === "snooze"
            ? { ...base, action: "snooze", until: change.until }
            : { ...base, action: "resolve" },
    );
    return json<BulkResult>({ ok: true, updated: result.changed.length, unchanged: result.unchanged.length, skipped: result.skipped.length, truncated, label: change.intent });
  } catch (error) {
    if (!(error instanceof InboxError)) throw error;
    return json<BulkResult>({ error: { message: error.message, field: error.field ?? null } }, { status: error.status });
  }
}

// ---------------------------------------------------------------- Page

const BULK_DONE: Record<string, string> = { assign: "Assigned", tag: "Tagged", resolve: "Resolved", snooze: "Snoozed" };

export default function InboxLayout() {
  const data = useLoaderData<typeof loader>();
  return (
    <LiveProvider url="/app/inbox/events" myStaffId={data.me.id}>
      <Inbox />
    </LiveProvider>
  );
}

function Inbox() {
  const data = useLoaderData<typeof loader>();
  const outlet = useOutlet();
  const { id: activeId = null } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const now = useNow(data.now);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [selection, setSelection] = useState<Selection>({ ids: new Set(), allMatching: false });
  const clearSelection = useCallback(() => setSelection({ ids: new Set(), allMatching: false }), []);
  const bulk = useFetcher<BulkResult>();
  const [bulkNotice, setBulkNotice] = useState<BulkResult | null>(null);

  const hrefFor = useCallback((id: string) => `/app/inbox/${id}${location.search}`, [location.search]);

  // Previous pages' cursors live in the history entry, so Back and a reload keep the way back.
  const cursors = ((location.state as { cursors?: string[] } | null)?.cursors ?? []).filter((cursor) => typeof cursor === "string");
  const goToCursor = (cursor: string | null, stack: string[]) => {
    // The address bar is the truth (see InboxFilterBar's apply).
    const next = new URLSearchParams(window.location.search);
    if (cursor) next.set("cursor", cursor);
    else next.delete("cursor");
    navigate(`/app/inbox${activeId ? `/${activeId}` : ""}?${next}`, { state: { cursors: stack } });
  };
  const currentCursor = new URLSearchParams(location.search).get("cursor");

  const runBulk = (change: BulkAction) => {
    const form: Record<string, string> = selection.allMatching
      ? { scope: "matching", search: window.location.search.replace(/^\?/, "") }
      : { scope: "ids", ids: [...selection.ids].join(",") };
    if (change.kind === "assign") Object.assign(form, { intent: "assign", assigneeId: change.assigneeId ?? "" });
    else if (change.kind === "tag") Object.assign(form, { intent: "tag", add: change.add.join(","), remove: change.remove.join(",") });
    else if (change.kind === "snooze") Object.assign(form, { intent: "snooze", until: change.until });
    else form.intent = "resolve";
    bulk.submit(form, { method: "post", action: `/app/inbox${location.search}` });
  };
  const bulkData = bulk.data;
  useEffect(() => {
    if (bulk.state !== "idle" || !bulkData) return;
    setBulkNotice(bulkData);
    if (bulkData.ok) setSelection({ ids: new Set(), allMatching: false });
  }, [bulk.state, bulkData]);

  // j/k walk the list and open the conversation; focus follows, so the next key works from there.
  const focusAfterMove = useRef<string | null>(null);
  const move = (step: 1 | -1) => {
    const rows = data.page.rows;
    if (rows.length === 0) return;
    const index = rows.findIndex((row) => row.id === activeId);
    const target = index === -1 ? (step === 1 ? rows[0] : rows.at(-1)) : rows[Math.min(rows.length - 1, Math.max(0, index + step))];
    if (!target || target.id === activeId) return;
    focusAfterMove.current = target.id;
    navigate(hrefFor(target.id), { state: location.state });
  };
  useEffect(() => {
    if (!activeId || focusAfterMove.current !== activeId) return;
    focusAfterMove.current = null;
    const element = document.getElementById(rowElementId(activeId));
    element?.focus();
    element?.scrollIntoView({ block: "nearest" });
  }, [activeId]);
  useShortcuts({ j: () => move(1), k: () => move(-1), "?": () => setShortcutsOpen(true) });

  return (
    <Page
      fullWidth
      title="Inbox"
      subtitle="Your team's shared inbox for every storefront conversation."
      titleMetadata={<LiveStatusBadge />}
      secondaryActions={[{ content: "Keyboard shortcuts", accessibilityLabel: "Keyboard shortcuts (?)", onAction: () => setShortcutsOpen(true) }]}
    >
      <div className="inbox">
        <Card padding="0">
          <InboxFilterBar view={data.filters.view} counts={data.counts} staff={data.staff} meId={data.me.id} onChangeStart={clearSelection} />
        </Card>
        {data.filterError ? (
          <Banner tone="warning" title="Some of the filters in the address were not understood">
            <p>{data.filterError}. Showing all open conversations instead.</p>
          </Banner>
        ) : null}
        {bulkNotice ? (
          <Banner
            tone={bulkNotice.ok ? "success" : "critical"}
            title={
              bulkNotice.ok
                ? `${BULK_DONE[bulkNotice.label ?? ""] ?? "Updated"} ${bulkNotice.updated ?? 0} ${bulkNotice.updated === 1 ? "conversation" : "conversations"}`
                : "The bulk action did not run"
            }
            onDismiss={() => setBulkNotice(null)}
          >
            {bulkNotice.ok && bulkNotice.unchanged ? <p>{`${bulkNotice.unchanged} already were.`}</p> : null}
            {bulkNotice.ok && bulkNotice.skipped ? <p>{`${bulkNotice.skipped} skipped: the change does not apply to them (e.g. a resolved conversation cannot be snoozed).`}</p> : null}
            {bulkNotice.ok && bulkNotice.truncated ? <p>{`Only the first ${data.bulkMax.toLocaleString("en-US")} matching conversations were changed; run it again for the rest.`}</p> : null}
            {bulkNotice.error ? <p>{bulkNotice.error.message}</p> : null}
          </Banner>
        ) : null}
        <div className="inbox-panes">
          <section className="inbox-pane" aria-label="Conversation list">
            <ConversationList
              rows={data.page.rows}
              total={data.total}
              activeId={activeId}
              hrefFor={hrefFor}
              now={now}
              timeZone={data.timeZone}
              selection={selection}
              onSelectionChange={setSelection}
              staff={data.staff}
              meId={data.me.id}
              onBulk={runBulk}
              bulkBusy={bulk.state !== "idle"}
              page={{
                number: cursors.length + 1,
                pageSize: data.pageSize,
                hasPrevious: Boolean(currentCursor),
                hasNext: Boolean(data.page.nextCursor),
                onNext: () => goToCursor(data.page.nextCursor, [...cursors, currentCursor ?? ""]),
                onPrevious: () => goToCursor(cursors.at(-1) || null, cursors.slice(0, -1)),
              }}
            />
          </section>
          {outlet ?? (
            <section className="inbox-pane" aria-label="Conversation">
              <div className="inbox-empty">
                <BlockStack gap="200" inlineAlign="center">
                  <Text as="h2" variant="headingMd">
                    Pick a conversation
                  </Text>
                  <Text as="p" tone="subdued">
                    Choose one from the list, or press j to open the first. Press ? for every shortcut.
                  </Text>
                </BlockStack>
              </div>
            </section>
          )}
        </div>
      </div>
      <ShortcutsModal open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </Page>
  );
}

function LiveStatusBadge() {
  const { status } = useInboxLive();
  if (status === "live") return <Badge tone="success">Live</Badge>;
  return <Badge tone="attention">{status === "connecting" ? "Connecting…" : "Reconnecting…"}</Badge>;
}
