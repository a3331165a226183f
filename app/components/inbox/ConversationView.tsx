import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Divider, Text } from "@shopify/polaris";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Composer, type ComposerHandle, type MacroOption } from "./Composer";
import { ConversationToolbar, type MergeCandidate, type Submit, type ToolbarConversation } from "./ConversationToolbar";
import type { ConversationActionResult } from "./conversation-actions.server";
import { CustomerPanel, type PanelData } from "./CustomerPanel";
import { useNow } from "./format";
import { type LivePresence, useInboxLive } from "./LiveProvider";
import { PresenceBar } from "./PresenceBar";
import { useShortcuts } from "./shortcuts";
import { Transcript, type TranscriptAction, type TranscriptMessage } from "./Transcript";
import { CONVERSATION_ROUTE_ID, postToRoute } from "./route-call";
import type { StaffOption } from "./types";

export interface ConversationViewData {
  conversation: ToolbarConversation & { title: string; subtitle: string | null; summary: string | null };
  messages: TranscriptMessage[];
  olderMessagesOmitted: boolean;
  actions: TranscriptAction[];
  /** Colleagues viewing or typing when the page loaded; live events take over from there. */
  presence: { staffId: string; name: string; typing: boolean }[];
  panel: PanelData;
  mergeCandidates: MergeCandidate[];
  macros: MacroOption[];
  staff: StaffOption[];
  me: { id: string; name: string };
  timeZone: string;
  now: string;
}

const HEARTBEAT_MS = 10_000;

/**
 * The open conversation: toolbar, who else is here, transcript, reply box, and the customer panel. It keeps
 * this staff member's presence alive (a heartbeat every 10 s, typing on/off as they write), marks the
 * conversation read as messages arrive, and says it left when it closes. `beside` goes under the customer panel
 * (the conversation's predictions).
 */
export function ConversationView({ data, actionUrl, beside }: { data: ConversationViewData; actionUrl: string; beside: ReactNode }) {
  const { conversation } = data;
  const live = useInboxLive();
  const now = useNow(data.now);
  const composer = useRef<ComposerHandle>(null);
  const [assignOpen, setAssignOpen] = useState(false);

  const command = useFetcher<ConversationActionResult>();
  const [dismissed, setDismissed] = useState<unknown>(null);
  const submit: Submit = (intent, fields = {}) => command.submit({ intent, ...fields }, { method: "post", action: actionUrl });
  const commandError = command.data && command.data !== dismissed ? command.data.error : undefined;

  // Presence: a heartbeat while open (typing included), "leave" when closed or switched to another conversation.
  const typingRef = useRef(false);
  const post = useRef((_fields: Record<string, string>, _keepalive?: boolean) => {});
  post.current = (fields, keepalive = false) => {
    postToRoute(actionUrl, CONVERSATION_ROUTE_ID, fields, { keepalive }).catch(() => {
      // Presence and read marks are best effort; the next heartbeat tries again.
    });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: one presence session per conversation id
  useEffect(() => {
    const send = post.current;
    const beat = () => post.current({ intent: "heartbeat", typing: String(typingRef.current) });
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    return () => {
      clearInterval(timer);
      send({ intent: "leave" }, true);
    };
  }, [conversation.id]);
  const onTyping = (typing: boolean) => {
    typingRef.current = typing;
    post.current({ intent: "heartbeat", typing: String(typing) });
  };

  // Read up to now on open and whenever something new lands here while it is open.
  const changes = live.changes[conversation.id] ?? 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the conversation or its live change count moves
  useEffect(() => {
    post.current({ intent: "mark_read" });
  }, [conversation.id, changes, data.messages.length]);

  const people: LivePresence[] = mergePresence(data.presence, live.presenceIn(conversation.id), data.me.id);
  const finished = conversation.status === "resolved" || conversation.status === "closed";

  useShortcuts({
    r: () => composer.current?.focus("reply"),
    n: () => composer.current?.focus("note"),
    e: () => {
      if (!finished && !conversation.mergedIntoId) submit("resolve");
    },
    a: () => {
      if (!conversation.mergedIntoId) setAssignOpen(true);
    },
  });

  const lastMessageId = data.messages.filter((message) => message.visibility === "public").at(-1)?.id ?? null;

  return (
    <div className="inbox-conversation">
      <section className="inbox-pane inbox-thread" aria-labelledby="inbox-conversation-title">
        <div className="inbox-pane-header">
          <BlockStack gap="200">
            <ConversationToolbar
              heading={
                <Text as="h2" variant="headingMd" id="inbox-conversation-title">
                  {conversation.title}
                </Text>
              }
              details={
                conversation.subtitle || conversation.summary ? (
                  <details className="inbox-summary">
                    <summary>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {conversation.subtitle ?? "Handoff summary"}
                      </Text>
                    </summary>
                    {conversation.summary ? <p>{conversation.summary}</p> : null}
                  </details>
                ) : null
              }
              conversation={conversation}
              staff={data.staff}
              meId={data.me.id}
              submit={submit}
              busy={command.state !== "idle"}
              assignOpen={assignOpen}
              onAssignOpenChange={setAssignOpen}
              mergeCandidates={data.mergeCandidates}
              timeZone={data.timeZone}
              now={now}
            />
            {conversation.mergedIntoId ? (
              <Banner tone="info" title="This conversation was merged into another one">
                <p>Its messages are in the conversation it was merged into; continue there.</p>
              </Banner>
            ) : null}
            {commandError ? (
              <Banner tone="critical" title="That did not work" onDismiss={() => setDismissed(command.data)}>
                <p>{commandError.message}</p>
              </Banner>
            ) : null}
          </BlockStack>
        </div>
        <PresenceBar people={people} />
        <div className="inbox-pane-scroll">
          <Transcript messages={data.messages} olderOmitted={data.olderMessagesOmitted} actions={data.actions} shopperName={data.panel.customer.name ?? data.panel.customer.email ?? "Shopper"} timeZone={data.timeZone} />
        </div>
        {conversation.mergedIntoId ? null : (
          <Composer
            key={conversation.id}
            ref={composer}
            actionUrl={actionUrl}
            lastMessageId={lastMessageId}
            staff={data.staff}
            meId={data.me.id}
            macros={data.macros}
            closed={conversation.status === "closed"}
            onTyping={onTyping}
          />
        )}
      </section>
      <aside className="inbox-pane" aria-label="Customer">
        <div className="inbox-pane-scroll">
          <div style={{ padding: "var(--p-space-400)" }}>
            <BlockStack gap="400">
              <CustomerPanel data={data.panel} actionUrl={actionUrl} timeZone={data.timeZone} key={conversation.id} />
              <Divider />
              {beside}
            </BlockStack>
          </div>
        </div>
      </aside>
    </div>
  );
}

/** Colleagues from the page load, replaced by anything the live stream said since about the same person. */
function mergePresence(loaded: ConversationViewData["presence"], fresh: LivePresence[], meId: string): LivePresence[] {
  const byKey = new Map<string, LivePresence>();
  for (const person of loaded) {
    if (person.staffId === meId) continue;
    byKey.set(`staff:${person.staffId}`, { key: `staff:${person.staffId}`, kind: "staff", staffId: person.staffId, name: person.name, viewing: true, typing: person.typing, seenAt: 0 });
  }
  for (const person of fresh) byKey.set(person.key, person);
  return [...byKey.values()].filter((person) => person.viewing || person.typing);
}
