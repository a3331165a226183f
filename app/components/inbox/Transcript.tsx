import { Link, useLocation } from "@remix-run/react";
import { Badge, InlineStack, Text } from "@shopify/polaris";
import { Fragment, useEffect, useRef } from "react";
import { formatDateTime, formatMoney } from "./format";
import { appPath } from "~/components/app-path";

export interface TranscriptMessage {
  id: string;
  author: "shopper" | "assistant" | "staff" | "system";
  visibility: "public" | "internal";
  body: string;
  createdAt: string;
  staffName: string | null;
  citations: { sourceId: string; title: string }[];
  tools: { id: string; name: string; ok: boolean | null; summary: string | null; detail: string | null }[];
  order: { name: string; status: string; total: string; currency: string } | null;
  handoff: { reason: string | null } | null;
  intent: string | null;
  sentiment: number | null;
  /** What staff should know about how this reply came about (fallbacks, suspected injection, drafts). */
  notes: string[];
}

export interface TranscriptAction {
  id: string;
  createdAt: string;
  /** Who did it, in words ("Alex Rivera", "Assistant", "System"). */
  actorName: string;
  /** What happened, in words. */
  description: string;
}

type Entry = { kind: "message"; at: string; message: TranscriptMessage } | { kind: "action"; at: string; action: TranscriptAction };

const AUTHOR_LABELS = { shopper: "Shopper", assistant: "Assistant", staff: "Staff", system: "System" } as const;

/**
 * The conversation as staff see it: public messages, internal notes (visibly different and labelled), what
 * the assistant did (tools, sources, order lookups, handoffs) and the action log, in time order. New messages
 * are announced to screen readers (role="log").
 */
export function Transcript({
  messages,
  actions,
  shopperName,
  timeZone,
  olderOmitted,
}: {
  messages: TranscriptMessage[];
  actions: TranscriptAction[];
  shopperName: string;
  timeZone: string;
  olderOmitted: boolean;
}) {
  const location = useLocation();
  const end = useRef<HTMLLIElement>(null);
  const entries: Entry[] = [
    ...messages.map((message) => ({ kind: "message" as const, at: message.createdAt, message })),
    ...actions.map((action) => ({ kind: "action" as const, at: action.createdAt, action })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const lastId = messages.at(-1)?.id;

  // Keep the newest message in view when one arrives.
  useEffect(() => {
    if (lastId) end.current?.scrollIntoView({ block: "end" });
  }, [lastId]);

  return (
    <div role="log" aria-label="Transcript" aria-live="polite">
      <ol className="inbox-transcript">
      {olderOmitted ? <li className="inbox-event">Older messages are not shown.</li> : null}
      {entries.map((entry) =>
        entry.kind === "action" ? (
          <li key={`a:${entry.action.id}`} className="inbox-event">
            {`${entry.action.actorName} ${entry.action.description} · ${formatDateTime(entry.at, timeZone, { timeStyle: "short" })}`}
          </li>
        ) : (
          <Fragment key={entry.message.id}>
            <Message message={entry.message} shopperName={shopperName} timeZone={timeZone} knowledgeHref={(id) => appPath(`/app/knowledge/${id}`, location.search)} />
          </Fragment>
        ),
      )}
      <li ref={end} aria-hidden="true" />
      </ol>
    </div>
  );
}

function Message({ message, shopperName, timeZone, knowledgeHref }: { message: TranscriptMessage; shopperName: string; timeZone: string; knowledgeHref: (id: string) => string }) {
  const internal = message.visibility === "internal";
  const who = message.author === "shopper" ? shopperName : message.author === "staff" ? (message.staffName ?? "Staff") : AUTHOR_LABELS[message.author];
  return (
    <li className="inbox-message" data-author={message.author} data-visibility={message.visibility} aria-label={internal ? `Internal note by ${who}` : `${who}`}>
      <div className="inbox-message-meta">
        <Text as="span" variant="bodySm" fontWeight="semibold">
          {who}
        </Text>
        {message.author === "assistant" ? <Badge tone="info">AI</Badge> : null}
        {internal ? <Badge tone="attention">Internal — not sent to the shopper</Badge> : null}
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt, timeZone)}</time>
        {message.intent && message.author === "shopper" ? <Badge>{message.intent}</Badge> : null}
        {message.notes.map((note) => (
          <Badge key={note} tone={note.startsWith("Prompt injection") ? "critical" : undefined}>
            {note}
          </Badge>
        ))}
      </div>
      <div className="inbox-bubble">{message.body}</div>
      {message.tools.map((tool) => (
        <details className="inbox-tool" key={tool.id}>
          <summary>
            <InlineStack gap="100" blockAlign="center" as="span">
              <Text as="span" variant="bodySm">{`Tool: ${tool.name}`}</Text>
              {tool.ok === false ? <Badge tone="critical">Refused</Badge> : tool.ok ? <Badge tone="success">OK</Badge> : null}
              {tool.summary ? (
                <Text as="span" variant="bodySm" tone="subdued">
                  {tool.summary}
                </Text>
              ) : null}
            </InlineStack>
          </summary>
          {tool.detail ? <pre>{tool.detail}</pre> : null}
        </details>
      ))}
      {message.order ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {`Order card: ${message.order.name} · ${message.order.status} · ${formatMoney(message.order.total, message.order.currency)}`}
        </Text>
      ) : null}
      {message.citations.length > 0 ? (
        <div className="inbox-message-meta">
          <span>Sources:</span>
          {message.citations.map((citation) => (
            <Link key={citation.sourceId} to={knowledgeHref(citation.sourceId)}>
              {citation.title}
            </Link>
          ))}
        </div>
      ) : null}
      {message.handoff ? (
        <Text as="p" variant="bodySm" tone="caution">
          {`Handed to the team${message.handoff.reason ? `: ${message.handoff.reason}` : ""}`}
        </Text>
      ) : null}
    </li>
  );
}
