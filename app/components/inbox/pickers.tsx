import { ActionList, BlockStack, Box, Button, InlineStack, Popover, Tag, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { capitalise, PRIORITIES, toLocalInputValue } from "./format";
import type { StaffOption } from "./types";

/* Popover pickers shared by the conversation toolbar and the list's bulk actions. */

interface PopoverControl {
  size?: "slim" | "medium";
  /** Controlled open state (the "a" shortcut opens the assign menu); uncontrolled when omitted. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  disabled?: boolean;
}

function usePopover({ open, onOpenChange }: PopoverControl) {
  const [ownOpen, setOwnOpen] = useState(false);
  const isOpen = open ?? ownOpen;
  const setOpen = (next: boolean) => {
    setOwnOpen(next);
    onOpenChange?.(next);
  };
  return [isOpen, setOpen] as const;
}

export function AssignPicker({
  staff,
  currentId,
  meId,
  onAssign,
  label = "Assign",
  ...control
}: PopoverControl & { staff: StaffOption[]; currentId?: string | null; meId: string; onAssign: (assigneeId: string | null) => void; label?: string }) {
  const [open, setOpen] = usePopover(control);
  const me = staff.find((member) => member.id === meId);
  const others = staff.filter((member) => member.id !== meId);
  return (
    <Popover
      active={open}
      autofocusTarget="first-node"
      onClose={() => setOpen(false)}
      activator={
        <Button size={control.size} disclosure onClick={() => setOpen(!open)} disabled={control.disabled} accessibilityLabel={control.open === undefined ? undefined : `${label} (shortcut a)`}>
          {label}
        </Button>
      }
    >
      <ActionList
        actionRole="menuitem"
        sections={[
          {
            items: [
              ...(me ? [{ content: `Me (${me.name})`, active: currentId === me.id, onAction: () => pick(me.id) }] : []),
              { content: "Unassigned", active: currentId === null, onAction: () => pick(null) },
            ],
          },
          { title: "Team", items: others.map((member) => ({ content: member.name, active: currentId === member.id, onAction: () => pick(member.id) })) },
        ]}
      />
    </Popover>
  );
  function pick(id: string | null) {
    setOpen(false);
    onAssign(id);
  }
}

export function PriorityPicker({ current, onPick, ...control }: PopoverControl & { current: string; onPick: (priority: string) => void }) {
  const [open, setOpen] = usePopover(control);
  return (
    <Popover
      active={open}
      autofocusTarget="first-node"
      onClose={() => setOpen(false)}
      activator={
        <Button size={control.size} disclosure onClick={() => setOpen(!open)} disabled={control.disabled}>
          {`Priority: ${capitalise(current)}`}
        </Button>
      }
    >
      <ActionList
        actionRole="menuitem"
        items={PRIORITIES.map((priority) => ({
          content: capitalise(priority),
          active: priority === current,
          onAction: () => {
            setOpen(false);
            onPick(priority);
          },
        }))}
      />
    </Popover>
  );
}

const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _:/.-]{0,39}$/u;

/** Add and remove tags; `current` absent (bulk) means "add to each". */
export function TagsPicker({
  current,
  onChange,
  label = "Tags",
  ...control
}: PopoverControl & { current?: string[]; onChange: (change: { add: string[]; remove: string[] }) => void; label?: string }) {
  const [open, setOpen] = usePopover(control);
  const [value, setValue] = useState("");
  const trimmed = value.trim();
  const invalid = trimmed !== "" && !TAG_PATTERN.test(trimmed) ? "Letters, digits, spaces and - _ : / . (up to 40)" : undefined;
  const add = () => {
    if (!trimmed || invalid) return;
    onChange({ add: [trimmed.toLowerCase()], remove: [] });
    setValue("");
    if (!current) setOpen(false);
  };
  return (
    <Popover
      active={open}
      onClose={() => setOpen(false)}
      activator={
        <Button size={control.size} disclosure onClick={() => setOpen(!open)} disabled={control.disabled}>
          {label}
        </Button>
      }
    >
      <Box padding="300" minWidth="260px">
        <BlockStack gap="200">
          {current ? (
            current.length > 0 ? (
              <InlineStack gap="100">
                {current.map((tag) => (
                  <Tag key={tag} onRemove={() => onChange({ add: [], remove: [tag] })} accessibilityLabel={`Remove tag ${tag}`}>
                    {tag}
                  </Tag>
                ))}
              </InlineStack>
            ) : (
              <Text as="p" tone="subdued">
                No tags yet.
              </Text>
            )
          ) : null}
          <form
            onSubmit={(event) => {
              event.preventDefault();
              add();
            }}
          >
            <InlineStack gap="200" wrap={false} blockAlign="end">
              <div style={{ flex: 1 }}>
                <TextField label={current ? "Add a tag" : "Tag to add"} value={value} onChange={setValue} autoComplete="off" error={invalid} autoFocus />
              </div>
              <Button submit disabled={!trimmed || Boolean(invalid)}>
                Add
              </Button>
            </InlineStack>
          </form>
        </BlockStack>
      </Box>
    </Popover>
  );
}

function presets(now: Date) {
  const inHours = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const nextWeek = new Date(now);
  nextWeek.setDate(now.getDate() + ((8 - now.getDay()) % 7 || 7));
  nextWeek.setHours(9, 0, 0, 0);
  return [
    { label: "In 1 hour", at: inHours(1) },
    { label: "In 4 hours", at: inHours(4) },
    { label: "Tomorrow 9:00", at: tomorrow },
    { label: "Next Monday 9:00", at: nextWeek },
  ];
}

/** Snooze until a date-time, in the agent's own time zone (sent as an ISO instant). */
export function SnoozePicker({ onSnooze, ...control }: PopoverControl & { onSnooze: (until: string) => void }) {
  const [open, setOpen] = usePopover(control);
  const [value, setValue] = useState("");
  const chosen = value ? new Date(value) : null;
  const error = chosen && (Number.isNaN(chosen.getTime()) || chosen.getTime() <= Date.now()) ? "Pick a time in the future" : undefined;
  const snooze = (at: Date) => {
    setOpen(false);
    setValue("");
    onSnooze(at.toISOString());
  };
  return (
    <Popover
      active={open}
      onClose={() => setOpen(false)}
      activator={
        <Button size={control.size} disclosure onClick={() => setOpen(!open)} disabled={control.disabled}>
          Snooze
        </Button>
      }
    >
      <Box padding="300" minWidth="280px">
        <BlockStack gap="300">
          <BlockStack gap="100">
            {presets(new Date()).map((preset) => (
              <Button key={preset.label} variant="tertiary" textAlign="start" onClick={() => snooze(preset.at)}>
                {preset.label}
              </Button>
            ))}
          </BlockStack>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (chosen && !error) snooze(chosen);
            }}
          >
            <BlockStack gap="200">
              <TextField
                label="Snooze until"
                type="datetime-local"
                value={value}
                min={toLocalInputValue(new Date())}
                onChange={setValue}
                autoComplete="off"
                error={error}
                helpText="Your time zone. A new message from the shopper wakes it early."
              />
              <Button submit disabled={!chosen || Boolean(error)}>
                Snooze until then
              </Button>
            </BlockStack>
          </form>
        </BlockStack>
      </Box>
    </Popover>
  );
}
