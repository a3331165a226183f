/**
 * Holds a chat model's streamed text until each sentence passes the reply checks, so a shopper never sees
 * an invented code or figure flash by before the final check withdraws it. Text is released sentence by
 * sentence (a sentence end is . ! ? or a newline followed by whitespace); after the first failing sentence
 * nothing more is released.
 */
export interface StreamGate {
  push(delta: string): void;
  /** Releases what is still held (call only after the whole reply passed its checks). */
  flush(): void;
  /** Whether any text reached the shopper. */
  readonly released: boolean;
  readonly blocked: boolean;
}

const SENTENCE_END = /[.!?\n](?=\s)/g;

export function createStreamGate(emit: ((text: string) => void) | undefined, passes: (textSoFar: string) => boolean): StreamGate {
  let held = "";
  let releasedText = "";
  let blocked = false;
  return {
    push(delta) {
      if (blocked) return;
      held += delta;
      let end = -1;
      for (const match of held.matchAll(SENTENCE_END)) end = match.index + 1;
      if (end <= 0) return;
      const sentences = held.slice(0, end);
      if (!passes(releasedText + sentences)) {
        blocked = true;
        return;
      }
      releasedText += sentences;
      held = held.slice(end);
      emit?.(sentences);
    },
    flush() {
      if (blocked || !held) return;
      releasedText += held;
      emit?.(held);
      held = "";
    },
    get released() {
      return releasedText.length > 0;
    },
    get blocked() {
      return blocked;
    },
  };
}
