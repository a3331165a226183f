/**
 * Read receipts (`POST read { upTo }`): the newest message the shopper has had on screen, so a staff reply
 * they saw is not e-mailed to them as well. Sent only while the panel is open and the tab visible, after the
 * view has settled for a moment, and only when something other than the shopper's own messages is new.
 */

export const READ_DEBOUNCE_MS = 1_000;

interface ShownMessage {
  id: string;
  author: string;
  local?: boolean;
}

interface VisibilitySource {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: "visibilitychange", listener: () => void): void;
  removeEventListener(type: "visibilitychange", listener: () => void): void;
}

export interface ReadReceiptOptions {
  /** What the widget shows now: whether the panel is open, and its messages oldest first. */
  view: () => { open: boolean; messages: readonly ShownMessage[] };
  send: (upTo: string) => Promise<unknown>;
  /** The page's document (tests pass a stand-in). */
  doc?: VisibilitySource;
  delayMs?: number;
}

export interface ReadReceipts {
  /** Call after each render: schedules a receipt if there is something new to acknowledge. */
  check(): void;
  stop(): void;
}

/** The id to acknowledge, or null when nothing besides the shopper's own messages arrived since `acked`. */
export function readTarget(messages: readonly ShownMessage[], acked: string | null): string | null {
  const shown = messages.filter((message) => !message.local);
  const newest = shown[shown.length - 1];
  if (!newest || newest.id === acked) return null;
  const since = shown.slice(shown.findIndex((message) => message.id === acked) + 1);
  return since.some((message) => message.author !== "shopper") ? newest.id : null;
}

export function createReadReceipts(options: ReadReceiptOptions): ReadReceipts {
  const doc = options.doc ?? document;
  let acked: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const target = () => {
    const view = options.view();
    return view.open && doc.visibilityState === "visible" ? readTarget(view.messages, acked) : null;
  };

  const flush = () => {
    timer = null;
    const upTo = target();
    if (!upTo) return;
    const previous = acked;
    acked = upTo;
    // A failed receipt is retried at the next check; the shopper is never shown an error for it.
    options.send(upTo).catch(() => {
      if (acked === upTo) acked = previous;
    });
  };

  const check = () => {
    if (timer) clearTimeout(timer);
    timer = target() ? setTimeout(flush, options.delayMs ?? READ_DEBOUNCE_MS) : null;
  };

  doc.addEventListener("visibilitychange", check);
  return {
    check,
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      doc.removeEventListener("visibilitychange", check);
    },
  };
}
