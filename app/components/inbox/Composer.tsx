import { useFetcher } from "@remix-run/react";
import { ActionList, Badge, Banner, BlockStack, Box, Button, ButtonGroup, InlineStack, Popover, Text, TextField } from "@shopify/polaris";
import { forwardRef, type KeyboardEvent, useEffect, useImperativeHandle, useMemo, useRef, useState } from "react";
import { CONVERSATION_ROUTE_ID, useRouteCall } from "./route-call";
import type { StaffOption } from "./types";

/** What the conversation route's action answers (the parts the composer reads). */
export interface ActionError {
  message: string;
  field?: string | null;
  code?: string | null;
  /** 409 new_messages: what the shopper (or a colleague) wrote since the draft started. */
  messages?: { id: string; author: string; body: string; createdAt: string; authorName?: string | null }[];
}

export interface ActionResult {
  ok?: boolean;
  intent?: string;
  error?: ActionError;
  draft?: { text: string; source: string };
  macro?: { text: string; missing: string[] };
}

export interface MacroOption {
  id: string;
  name: string;
}

export type ComposerMode = "reply" | "note";

export interface ComposerHandle {
  focus(mode: ComposerMode): void;
}

const MAX_BODY = 5000;
const newKey = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
const TYPING_IDLE_MS = 4_000;

/**
 * The reply box: reply to the shopper or write an internal note (@mentions), with the assistant's draft and
 * macros. It remembers the newest message when the draft started, so the server can answer 409 if the shopper
 * wrote since — then it shows what arrived and asks before sending anyway.
 */
export const Composer = forwardRef<ComposerHandle, {
  actionUrl: string;
  lastMessageId: string | null;
  staff: StaffOption[];
  meId: string;
  macros: MacroOption[];
  closed: boolean;
  onTyping: (typing: boolean) => void;
}>(function Composer({ actionUrl, lastMessageId, staff, meId, macros, closed, onTyping }, ref) {
  const [mode, setMode] = useState<ComposerMode>("reply");
  const [text, setText] = useState("");
  const [draftBaseline, setDraftBaseline] = useState<string | null>(null);
  // One key per reply, so a double click or a retry after "Send anyway?" sends it once.
  const [sendKey, setSendKey] = useState(newKey);
  const [caret, setCaret] = useState(0);
  const wrapper = useRef<HTMLDivElement>(null);
  const send = useFetcher<ActionResult>();
  const draft = useRouteCall<ActionResult>(actionUrl, CONVERSATION_ROUTE_ID);
  const macro = useRouteCall<ActionResult>(actionUrl, CONVERSATION_ROUTE_ID);
  const [dismissed, setDismissed] = useState<unknown>(null);
  const [macroWarning, setMacroWarning] = useState<string[] | null>(null);
  const [macrosOpen, setMacrosOpen] = useState(false);
  const [macroQuery, setMacroQuery] = useState("");

  const textarea = () => wrapper.current?.querySelector("textarea") ?? null;

  useImperativeHandle(ref, () => ({
    focus(next) {
      setMode(next);
      requestAnimationFrame(() => textarea()?.focus());
    },
  }));

  // Typing state for colleagues: on while keys arrive, off after a pause, on send, and when leaving.
  const typing = useRef({ on: false, timer: null as ReturnType<typeof setTimeout> | null, notify: onTyping });
  typing.current.notify = onTyping;
  const stopTyping = useRef(() => {
    const state = typing.current;
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    if (state.on) {
      state.on = false;
      state.notify(false);
    }
  }).current;
  useEffect(() => stopTyping, [stopTyping]);

  const change = (value: string) => {
    if (!text && value) setDraftBaseline(lastMessageId);
    if (!value) setDraftBaseline(null);
    setText(value);
    setCaret(textarea()?.selectionStart ?? value.length);
    const state = typing.current;
    if (!state.on && value) {
      state.on = true;
      state.notify(true);
    }
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  // A sent message clears the box; an error keeps the text.
  const sentData = send.data;
  const sending = send.state !== "idle";
  const handledSend = useRef<unknown>(null);
  useEffect(() => {
    if (send.state !== "idle" || !sentData || handledSend.current === sentData) return;
    handledSend.current = sentData;
    if (sentData.ok) {
      setText("");
      setDraftBaseline(null);
      setMacroWarning(null);
      setSendKey(newKey());
    }
  }, [send.state, sentData]);

  const submit = (force = false) => {
    const body = text.trim();
    if (!body || sending) return;
    stopTyping();
    const form: Record<string, string> = { intent: mode, body };
    if (mode === "reply") {
      const seen = force ? (sentData?.error?.messages?.at(-1)?.id ?? lastMessageId) : (draftBaseline ?? lastMessageId);
      if (seen) form.lastSeenMessageId = seen;
      if (force) form.force = "true";
      form.idempotencyKey = sendKey;
    }
    send.submit(form, { method: "post", action: actionUrl });
  };

  // Insert a rendered macro where the caret is (read when the answer lands, through a ref).
  const macroData = macro.data;
  const insertMacro = useRef((_rendered: { text: string; missing: string[] }) => {});
  insertMacro.current = (rendered) => {
    const at = Math.min(caret, text.length);
    const before = text.slice(0, at);
    const joiner = before && !before.endsWith("\n") && !before.endsWith(" ") ? " " : "";
    change(`${before}${joiner}${rendered.text}${text.slice(at)}`);
    setMacroWarning(rendered.missing.length ? rendered.missing : null);
    requestAnimationFrame(() => textarea()?.focus());
  };
  const handledMacro = useRef<unknown>(null);
  useEffect(() => {
    if (macro.state !== "idle" || !macroData?.macro || handledMacro.current === macroData) return;
    handledMacro.current = macroData;
    insertMacro.current(macroData.macro);
  }, [macro.state, macroData]);

  // @mentions in notes: "@al" before the caret suggests staff whose name starts with it.
  const mentionQuery = useMemo(() => {
    if (mode !== "note") return null;
    const match = /(^|\s)@([\p{L}\p{N}._-]{0,30})$/u.exec(text.slice(0, caret));
    return match ? match[2]!.toLowerCase() : null;
  }, [mode, text, caret]);
  const mentionOptions = useMemo(
    () =>
      mentionQuery === null
        ? []
        : staff
            .filter((member) => member.id !== meId)
            .filter((member) => member.name.toLowerCase().split(/\s+/).some((part) => part.startsWith(mentionQuery)) || member.name.toLowerCase().startsWith(mentionQuery))
            .slice(0, 6),
    [mentionQuery, staff, meId],
  );
  // The highlighted suggestion belongs to one query; typing on starts again at the first.
  const [mention, setMention] = useState<{ query: string | null; index: number }>({ query: null, index: 0 });
  const mentionIndex = mention.query === mentionQuery ? mention.index : 0;
  const setMentionIndex = (index: number) => setMention({ query: mentionQuery, index });
  const mentionOpen = mentionOptions.length > 0;

  const pickMention = (member: StaffOption) => {
    const before = text.slice(0, caret).replace(/@[\p{L}\p{N}._-]*$/u, `@${mentionHandle(member)} `);
    const next = before + text.slice(caret);
    change(next);
    requestAnimationFrame(() => {
      const area = textarea();
      if (area) {
        area.focus();
        area.setSelectionRange(before.length, before.length);
        setCaret(before.length);
      }
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (mentionOpen) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setMentionIndex((mentionIndex + step + mentionOptions.length) % mentionOptions.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pickMention(mentionOptions[mentionIndex] ?? mentionOptions[0]!);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setCaret(-1);
        return;
      }
    }
    // Cmd/Ctrl+Enter sends, as in most inboxes; plain Enter is a new line.
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      submit();
    }
  };

  const error = sentData && sentData !== dismissed ? sentData.error : undefined;
  const conflict = error?.code === "new_messages" ? error : undefined;
  const draftResult = draft.data && draft.data !== dismissed ? draft.data : undefined;
  const visibleMacros = macros.filter((entry) => entry.name.toLowerCase().includes(macroQuery.trim().toLowerCase()));
  const over = text.length > MAX_BODY;
  const listboxId = "inbox-mention-options";

  return (
    <div className="inbox-composer" data-mode={mode}>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <ButtonGroup variant="segmented">
            <Button pressed={mode === "reply"} onClick={() => setMode("reply")} accessibilityLabel="Reply to the shopper (shortcut r)">
              Reply
            </Button>
            <Button pressed={mode === "note"} onClick={() => setMode("note")} accessibilityLabel="Internal note (shortcut n)">
              Internal note
            </Button>
          </ButtonGroup>
          <InlineStack gap="200">
            {mode === "reply" ? (
              <Button onClick={() => draft.call({ intent: "draft" })} loading={draft.state !== "idle"} disabled={closed}>
                AI draft
              </Button>
            ) : null}
            <Popover
              active={macrosOpen}
              onClose={() => setMacrosOpen(false)}
              activator={
                <Button disclosure onClick={() => setMacrosOpen(!macrosOpen)} loading={macro.state !== "idle"} disabled={macros.length === 0}>
                  Macros
                </Button>
              }
            >
              <Box padding="200" minWidth="260px">
                <BlockStack gap="200">
                  <TextField label="Find a macro" labelHidden placeholder="Find a macro" value={macroQuery} onChange={setMacroQuery} autoComplete="off" autoFocus />
                  {visibleMacros.length === 0 ? (
                    <Text as="p" tone="subdued">
                      No macro matches.
                    </Text>
                  ) : (
                    <ActionList
                      actionRole="menuitem"
                      items={visibleMacros.map((entry) => ({
                        content: entry.name,
                        onAction: () => {
                          setMacrosOpen(false);
                          setMacroQuery("");
                          macro.call({ intent: "render_macro", macroId: entry.id });
                        },
                      }))}
                    />
                  )}
                </BlockStack>
              </Box>
            </Popover>
          </InlineStack>
        </InlineStack>

        {draftResult?.draft ? (
          <Banner
            title={`AI draft${draftResult.draft.source === "offline" ? " (offline responder)" : ""}`}
            tone="info"
            onDismiss={() => setDismissed(draft.data)}
            action={{
              content: text ? "Replace my text with the draft" : "Use this draft",
              onAction: () => {
                change(draftResult.draft!.text);
                setDismissed(draft.data);
                requestAnimationFrame(() => textarea()?.focus());
              },
            }}
            secondaryAction={{ content: "Discard", onAction: () => setDismissed(draft.data) }}
          >
            <p style={{ whiteSpace: "pre-wrap" }}>{draftResult.draft.text}</p>
            <p>Nothing is sent until you press Send. Edit it first if you like.</p>
          </Banner>
        ) : null}
        {draftResult?.error ? (
          <Banner tone={draftResult.ok ? "info" : "critical"} title="No draft" onDismiss={() => setDismissed(draft.data)}>
            <p>{draftResult.error.message}</p>
          </Banner>
        ) : null}
        {macro.data?.error && macro.data !== dismissed ? (
          <Banner tone="critical" title="The macro could not be inserted" onDismiss={() => setDismissed(macro.data)}>
            <p>{macro.data.error.message}</p>
          </Banner>
        ) : null}
        {macroWarning ? (
          <Banner tone="warning" title="Some macro variables have no value here" onDismiss={() => setMacroWarning(null)}>
            <p>Fill these in before sending: {macroWarning.map((name) => `{{${name}}}`).join(", ")}</p>
          </Banner>
        ) : null}
        {conflict ? (
          <Banner
            tone="warning"
            title="New messages arrived since you started writing"
            action={{ content: "Send anyway", onAction: () => submit(true), loading: sending }}
            secondaryAction={{ content: "Review first", onAction: () => setDismissed(sentData) }}
          >
            <BlockStack gap="100">
              {(conflict.messages ?? []).map((message) => (
                <p key={message.id}>
                  <strong>{message.authorName ?? (message.author === "shopper" ? "Shopper" : message.author)}:</strong> {message.body}
                </p>
              ))}
              <p>Send anyway?</p>
            </BlockStack>
          </Banner>
        ) : error && !error.field ? (
          <Banner tone="critical" title={mode === "note" ? "The note was not saved" : "The reply was not sent"} onDismiss={() => setDismissed(sentData)}>
            <p>{error.message}</p>
          </Banner>
        ) : null}

        {/* biome-ignore lint/a11y/noStaticElementInteractions: keys bubble up from the textarea (mentions, Cmd+Enter) */}
        <div ref={wrapper} onKeyDown={onKeyDown} onKeyUp={() => setCaret(textarea()?.selectionStart ?? text.length)} onClick={() => setCaret(textarea()?.selectionStart ?? text.length)}>
          <TextField
            label={mode === "note" ? "Internal note" : "Reply to the shopper"}
            labelHidden
            value={text}
            onChange={change}
            multiline={2}
            maxHeight={240}
            autoComplete="off"
            disabled={closed && mode === "reply"}
            placeholder={mode === "note" ? "Only your team sees this. @mention a colleague to notify them." : "Write a reply…"}
            error={error?.field === "body" ? error.message : over ? `At most ${MAX_BODY.toLocaleString("en-US")} characters` : undefined}
            ariaAutocomplete={mode === "note" ? "list" : undefined}
            ariaControls={mentionOpen ? listboxId : undefined}
            ariaExpanded={mode === "note" ? mentionOpen : undefined}
            ariaActiveDescendant={mentionOpen ? `${listboxId}-${mentionIndex}` : undefined}
          />
          {mentionOpen ? (
            <div className="inbox-mentions" id={listboxId} role="listbox" aria-label="Mention a colleague">
              {mentionOptions.map((member, index) => (
                <div
                  key={member.id}
                  id={`${listboxId}-${index}`}
                  role="option"
                  tabIndex={-1}
                  aria-selected={index === mentionIndex}
                  onMouseDown={(event) => {
                    event.preventDefault();
                    pickMention(member);
                  }}
                >
                  {member.name}
                  {member.email ? (
                    <Text as="span" tone="subdued">
                      {` ${member.email}`}
                    </Text>
                  ) : null}
                </div>
              ))}
            </div>
          ) : null}
        </div>
        <InlineStack align="space-between" blockAlign="center">
          {mode === "note" ? (
            <Badge tone="attention">Internal — not sent to the shopper</Badge>
          ) : (
            <Text as="span" variant="bodySm" tone="subdued">
              Cmd/Ctrl + Enter sends.
            </Text>
          )}
          <Button variant="primary" onClick={() => submit()} loading={sending} disabled={!text.trim() || over || (closed && mode === "reply")}>
            {mode === "note" ? "Add note" : "Send"}
          </Button>
        </InlineStack>
      </BlockStack>
    </div>
  );
});

/** A colleague as written in a note: the full name, which the server resolves even when first names repeat. */
export function mentionHandle(member: StaffOption): string {
  return member.name.trim().replace(/\s+/g, " ");
}
