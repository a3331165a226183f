import { Link } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Checkbox, InlineStack, Pagination, Text } from "@shopify/polaris";
import { CHANNEL_LABELS, capitalise, formatDuration, formatWhen, priorityTone, slaClock } from "./format";
import { useInboxLive } from "./LiveProvider";
import { AssignPicker, SnoozePicker, TagsPicker } from "./pickers";
import { type InboxRow, type StaffOption, shopperName } from "./types";

export type BulkAction =
  | { kind: "assign"; assigneeId: string | null }
  | { kind: "tag"; add: string[]; remove: string[] }
  | { kind: "resolve" }
  | { kind: "snooze"; until: string };

export interface Selection {
  ids: Set<string>;
  /** Every conversation matching the filters, across pages (not just the ticked ones). */
  allMatching: boolean;
}

export const rowElementId = (id: string) => `inbox-row-${id}`;

export function ConversationList({
  rows,
  total,
  activeId,
  hrefFor,
  now,
  timeZone,
  selection,
  onSelectionChange,
  staff,
  meId,
  onBulk,
  bulkBusy,
  page,
}: {
  rows: InboxRow[];
  /** How many match, when known (the view's count without filters); null when only pages tell. */
  total: number | null;
  activeId: string | null;
  hrefFor: (id: string) => string;
  now: number;
  timeZone: string;
  selection: Selection;
  onSelectionChange: (next: Selection) => void;
  staff: StaffOption[];
  meId: string;
  onBulk: (action: BulkAction) => void;
  bulkBusy: boolean;
  page: { number: number; hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void; pageSize: number };
}) {
  const live = useInboxLive();
  const selectedCount = selection.allMatching ? total : selection.ids.size;
  const moreThanThisPage = total === null ? page.hasNext || page.hasPrevious : total > rows.length;
  const pageIds = rows.map((row) => row.id);
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => selection.ids.has(id));
  const someOnPage = pageIds.some((id) => selection.ids.has(id));

  const toggle = (id: string, checked: boolean) => {
    const ids = new Set(selection.ids);
    if (checked) ids.add(id);
    else ids.delete(id);
    onSelectionChange({ ids, allMatching: false });
  };
  const togglePage = (checked: boolean) => onSelectionChange({ ids: checked ? new Set(pageIds) : new Set(), allMatching: false });

  const first = rows.length === 0 ? 0 : (page.number - 1) * page.pageSize + 1;
  const last = first + rows.length - 1;

  return (
    <>
      <div className="inbox-pane-header">
        <BlockStack gap="200">
          <InlineStack gap="200" align="space-between" blockAlign="center" wrap={false}>
            <Checkbox
              label={
                selection.allMatching
                  ? `All ${total === null ? "matching" : total.toLocaleString("en-US")} selected`
                  : selectedCount
                    ? `${selectedCount.toLocaleString("en-US")} selected`
                    : "Select all on this page"
              }
              checked={selection.allMatching || allOnPage ? true : someOnPage ? "indeterminate" : false}
              onChange={(checked) => togglePage(checked)}
              disabled={rows.length === 0}
            />
            <Text as="p" variant="bodySm" tone="subdued">
              {total === null ? `${rows.length}${page.hasNext ? "+" : ""} shown` : `${total.toLocaleString("en-US")} ${total === 1 ? "conversation" : "conversations"}`}
            </Text>
          </InlineStack>
          {allOnPage && !selection.allMatching && moreThanThisPage ? (
            <Button variant="plain" onClick={() => onSelectionChange({ ids: new Set(pageIds), allMatching: true })}>
              {total === null ? "Select all matching conversations" : `Select all ${total.toLocaleString("en-US")} matching`}
            </Button>
          ) : null}
          {selection.allMatching ? (
            <Button variant="plain" onClick={() => onSelectionChange({ ids: new Set(), allMatching: false })}>
              Clear selection
            </Button>
          ) : null}
          {selection.allMatching || selection.ids.size > 0 ? (
            <section aria-label="Bulk actions">
              <InlineStack gap="200">
                <AssignPicker staff={staff} meId={meId} onAssign={(assigneeId) => onBulk({ kind: "assign", assigneeId })} disabled={bulkBusy} />
                <TagsPicker label="Tag" onChange={({ add, remove }) => onBulk({ kind: "tag", add, remove })} disabled={bulkBusy} />
                <SnoozePicker onSnooze={(until) => onBulk({ kind: "snooze", until })} disabled={bulkBusy} />
                <Button onClick={() => onBulk({ kind: "resolve" })} loading={bulkBusy}>
                  Resolve
                </Button>
              </InlineStack>
            </section>
          ) : null}
        </BlockStack>
      </div>
      <div className="inbox-pane-scroll">
        {rows.length === 0 ? (
          <Box padding="600">
            <BlockStack gap="200" inlineAlign="center">
              <Text as="h2" variant="headingSm">
                No conversations here
              </Text>
              <Text as="p" tone="subdued" alignment="center">
                Nothing matches this view and these filters. New conversations appear here as they arrive.
              </Text>
            </BlockStack>
          </Box>
        ) : (
          <ul className="inbox-list" aria-label="Conversations">
            {rows.map((row) => (
              <Row
                key={row.id}
                row={row}
                active={row.id === activeId}
                href={hrefFor(row.id)}
                now={now}
                timeZone={timeZone}
                checked={selection.allMatching || selection.ids.has(row.id)}
                onCheck={(checked) => toggle(row.id, checked)}
                typing={live.presenceIn(row.id).filter((entry) => entry.typing)}
              />
            ))}
          </ul>
        )}
      </div>
      {page.hasNext || page.hasPrevious ? (
        <div className="inbox-pane-footer">
          <InlineStack align="center">
            <Pagination
              hasPrevious={page.hasPrevious}
              hasNext={page.hasNext}
              onPrevious={page.onPrevious}
              onNext={page.onNext}
              label={`${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")}${total === null ? "" : ` of ${total.toLocaleString("en-US")}`}`}
            />
          </InlineStack>
        </div>
      ) : null}
    </>
  );
}

function Row({
  row,
  active,
  href,
  now,
  timeZone,
  checked,
  onCheck,
  typing,
}: {
  row: InboxRow;
  active: boolean;
  href: string;
  now: number;
  timeZone: string;
  checked: boolean;
  onCheck: (checked: boolean) => void;
  typing: { name: string; kind: string }[];
}) {
  const name = shopperName(row.customer);
  // The open conversation is being read right now, whatever the last load said.
  const unread = row.unread && !active;
  const sla = slaClock(row.slaDueAt, now);
  const waiting = row.waitingSince ? formatDuration(now - new Date(row.waitingSince).getTime()) : null;
  const priorityBadgeTone = priorityTone(row.priority);
  return (
    <li className="inbox-row" data-active={active} data-unread={unread}>
      <Checkbox labelHidden label={`Select conversation with ${name}`} checked={checked} onChange={onCheck} />
      <Link to={href} id={rowElementId(row.id)} className="inbox-row-link" aria-current={active ? "page" : undefined}>
        <span className="inbox-row-top">
          {unread ? (
            <>
              <span className="inbox-unread-dot" aria-hidden="true" />
              <span className="visually-hidden">Unread: </span>
            </>
          ) : null}
          <span className="inbox-row-name">
            <Text as="span" variant="bodyMd" fontWeight={unread ? "bold" : "semibold"}>
              {name}
            </Text>
          </span>
          <Text as="span" variant="bodySm" tone="subdued">
            {formatWhen(row.lastMessageAt, timeZone, now)}
          </Text>
        </span>
        <span className="inbox-row-preview">
          {typing.length > 0 ? (
            <span className="inbox-typing">{`${typing.map((entry) => entry.name).join(", ")} typing…`}</span>
          ) : (
            <Text as="span" variant="bodySm" tone="subdued">
              {row.lastMessageAuthor && row.lastMessageAuthor !== "shopper" ? `${capitalise(row.lastMessageAuthor)}: ` : ""}
              {row.lastMessagePreview ?? "No messages yet"}
            </Text>
          )}
        </span>
        <span className="inbox-row-meta">
          {sla ? (
            <span className="inbox-sla" data-breached={sla.breached || row.breached} data-soon={sla.soon}>
              {sla.label}
            </span>
          ) : waiting ? (
            <span className="inbox-sla">{`Waiting ${waiting}`}</span>
          ) : null}
          {row.priority !== "normal" ? <Badge tone={priorityBadgeTone}>{capitalise(row.priority)}</Badge> : null}
          <Text as="span" variant="bodySm" tone="subdued">
            {row.assignee ? row.assignee.name : "Unassigned"}
          </Text>
          {row.channel !== "web_chat" ? <Badge>{CHANNEL_LABELS[row.channel] ?? row.channel}</Badge> : null}
          {row.tags.slice(0, 3).map((tag) => (
            <Badge key={tag} tone="new">
              {tag}
            </Badge>
          ))}
          {row.tags.length > 3 ? <Badge>{`+${row.tags.length - 3}`}</Badge> : null}
        </span>
      </Link>
    </li>
  );
}
