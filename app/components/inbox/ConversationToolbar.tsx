import { Badge, BlockStack, Button, ChoiceList, InlineStack, Modal, Text } from "@shopify/polaris";
import { type ReactNode, useState } from "react";
import { formatDateTime, STATUS_LABELS } from "./format";
import { AssignPicker, PriorityPicker, SnoozePicker, TagsPicker } from "./pickers";
import type { StaffOption } from "./types";

export interface ToolbarConversation {
  id: string;
  status: string;
  priority: string;
  handledByHuman: boolean;
  assignee: { id: string; name: string } | null;
  tags: string[];
  snoozedUntil: string | null;
  mergedIntoId: string | null;
}

export interface MergeCandidate {
  id: string;
  label: string;
  detail: string;
}

/** Sends one conversation command: the route's action `intent` and its fields. */
export type Submit = (intent: string, fields?: Record<string, string>) => void;

/**
 * The conversation's commands: take over / hand back, assign, priority, tags, snooze, resolve / reopen, merge.
 * Every button posts to the route's action; the list and the conversation revalidate with the result.
 */
export function ConversationToolbar({
  heading,
  details,
  conversation,
  staff,
  meId,
  submit,
  busy,
  assignOpen,
  onAssignOpenChange,
  mergeCandidates,
  timeZone,
  now,
}: {
  /** The conversation's title, drawn on the status line. */
  heading: ReactNode;
  /** Shown between the status line and the buttons (subject, handoff summary). */
  details: ReactNode;
  conversation: ToolbarConversation;
  staff: StaffOption[];
  meId: string;
  submit: Submit;
  busy: boolean;
  assignOpen: boolean;
  onAssignOpenChange: (open: boolean) => void;
  mergeCandidates: MergeCandidate[];
  timeZone: string;
  now: number;
}) {
  const finished = conversation.status === "resolved" || conversation.status === "closed";
  const merged = Boolean(conversation.mergedIntoId);
  const snoozed = conversation.snoozedUntil && new Date(conversation.snoozedUntil).getTime() > now;
  const [mergeOpen, setMergeOpen] = useState(false);
  const [mergeChoice, setMergeChoice] = useState<string[]>([]);

  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        {heading}
        <Badge tone={finished ? "success" : conversation.status === "waiting_on_staff" ? "attention" : "info"}>{STATUS_LABELS[conversation.status] ?? conversation.status}</Badge>
        <Badge tone={conversation.handledByHuman ? "info" : undefined}>{conversation.handledByHuman ? "Handled by staff" : "Assistant answering"}</Badge>
        <Text as="span" variant="bodySm" tone="subdued">
          {conversation.assignee ? `Assigned to ${conversation.assignee.id === meId ? "you" : conversation.assignee.name}` : "Unassigned"}
        </Text>
        {snoozed ? (
          <Text as="span" variant="bodySm" tone="subdued">
            {`Snoozed until ${formatDateTime(conversation.snoozedUntil!, timeZone)}`}
          </Text>
        ) : null}
        {conversation.tags.map((tag) => (
          <Badge key={tag} tone="new">
            {tag}
          </Badge>
        ))}
      </InlineStack>
      {details}
      {merged ? null : (
        <InlineStack gap="150" blockAlign="center">
          {conversation.handledByHuman ? (
            <Button size="slim" onClick={() => submit("hand_back")} disabled={busy}>
              Hand back to assistant
            </Button>
          ) : (
            <Button size="slim" variant="primary" onClick={() => submit("take_over")} disabled={busy}>
              Take over
            </Button>
          )}
          <AssignPicker
            size="slim"
            staff={staff}
            meId={meId}
            currentId={conversation.assignee?.id ?? null}
            onAssign={(assigneeId) => submit("assign", { assigneeId: assigneeId ?? "" })}
            open={assignOpen}
            onOpenChange={onAssignOpenChange}
            disabled={busy}
          />
          <PriorityPicker size="slim" current={conversation.priority} onPick={(priority) => submit("priority", { priority })} disabled={busy} />
          <TagsPicker
            size="slim"
            label={conversation.tags.length ? `Tags (${conversation.tags.length})` : "Tags"}
            current={conversation.tags}
            onChange={({ add, remove }) => submit("tags", { add: add.join(","), remove: remove.join(",") })}
            disabled={busy}
          />
          {finished ? null : <SnoozePicker size="slim" onSnooze={(until) => submit("snooze", { until })} disabled={busy} />}
          {finished ? (
            <Button size="slim" onClick={() => submit("reopen")} disabled={busy}>
              Reopen
            </Button>
          ) : (
            <Button size="slim" onClick={() => submit("resolve")} disabled={busy} accessibilityLabel="Resolve (shortcut e)">
              Resolve
            </Button>
          )}
          {mergeCandidates.length > 0 ? (
            <Button size="slim" variant="tertiary" onClick={() => setMergeOpen(true)} disabled={busy}>
              Merge…
            </Button>
          ) : null}
        </InlineStack>
      )}
      <Modal
        open={mergeOpen}
        onClose={() => setMergeOpen(false)}
        title="Merge a conversation into this one"
        primaryAction={{
          content: "Merge into this conversation",
          destructive: true,
          disabled: mergeChoice.length === 0,
          onAction: () => {
            setMergeOpen(false);
            submit("merge", { sourceId: mergeChoice[0]! });
            setMergeChoice([]);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setMergeOpen(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            <Text as="p">
              The other conversation's messages move here, each once and in time order. It is then closed and points here. This
              cannot be undone.
            </Text>
            <ChoiceList
              title="The same customer's other conversations"
              choices={mergeCandidates.map((candidate) => ({ value: candidate.id, label: candidate.label, helpText: candidate.detail }))}
              selected={mergeChoice}
              onChange={setMergeChoice}
            />
          </BlockStack>
        </Modal.Section>
      </Modal>
    </BlockStack>
  );
}

