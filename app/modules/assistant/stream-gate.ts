/**
 * Holds a chat model's streamed text until it passes the reply checks, so a shopper never sees an invented
 * code, figure or banned phrase flash by before the final check withdraws it, without waiting for whole
 * sentences: plain words go out as they arrive.
 *
 * - Everything known (complete words, and an unfinished word of plain letters) is checked before anything
 *   is released; after the first failure nothing more is.
 * - An unfinished word with digits, currency signs or capitals after its first letter is held until it ends:
 *   "$7" may become "$79", "SAVE" may become "SAVE20".
 * - A sentence with a digit, currency sign or percent sign in it is held to its end (. ! ? or a newline
 *   followed by whitespace) and released whole once checked, apart from words that had already gone out
 *   before the figure arrived: "50 per cent", "#1006 is on its way with UPS, tracking number …" never show
 *   in part.
 * - Words that could begin one of the merchant's "never say" phrases are held until the phrase is ruled out.
 *
 * What can still be shown and then withdrawn (`onReset`): plain words before a failing word, e.g. "Your
 * refund has been" before an unsupported "approved".
 */
export interface StreamGate {
  push(delta: string): void;
  /** Releases what is still held (call only after the whole reply passed its checks). */
  flush(): void;
  /** Whether any text reached the shopper. */
  readonly released: boolean;
  readonly blocked: boolean;
}

export interface StreamGateOptions {
  /** The merchant's banned phrases: a possible beginning of one is not released early. */
  neverSay?: string[];
}

const SENTENCE_END = /[.!?\n](?=\s)/g;
/** What holds a sentence: digits (figures, order and tracking numbers), currency, percent. */
const FIGURE = /[\p{N}$€£¥%]/u;
/** An unfinished word that can be released: letters, capitalised at most at the start ("Here", "deliv", "I"). */
const PLAIN_UNFINISHED = /^(?:\p{Lu}?\p{Ll}+|\p{Lu})$/u;
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g;

/** As the reply checks compare phrases: lower case, invisible characters removed, spaces and hyphens as one space. */
function normalisePhrase(text: string): string {
  return text.replace(INVISIBLE, "").toLowerCase().replace(/[\s\-‐‑–—_]+/g, " ");
}

/** Start offsets of the words (runs of non-space) in `text`. */
function wordStarts(text: string): number[] {
  return [...text.matchAll(/\S+/g)].map((match) => match.index);
}

export function createStreamGate(emit: ((text: string) => void) | undefined, passes: (textSoFar: string) => boolean, options: StreamGateOptions = {}): StreamGate {
  const phrases = (options.neverSay ?? []).map((phrase) => normalisePhrase(phrase).trim()).filter(Boolean);
  const longestPhraseWords = Math.max(0, ...phrases.map((phrase) => phrase.split(" ").length));
  let held = "";
  let releasedText = "";
  let checkedLength = 0;
  let blocked = false;

  /** Where, in `text` (released + candidate), a possible beginning of a banned phrase starts; -1 for none. */
  function phraseStart(text: string, from: number): number {
    if (phrases.length === 0) return -1;
    const starts = wordStarts(text.slice(from)).map((start) => from + start);
    // A phrase spans at most its own word count (plus the word it may start inside of).
    for (const start of starts.slice(-(longestPhraseWords + 1))) {
      const rest = normalisePhrase(text.slice(start));
      const firstWordEnd = rest.search(/ |$/);
      for (let offset = 0; offset < Math.max(1, firstWordEnd); offset++) {
        const tail = rest.slice(offset);
        if (tail && phrases.some((phrase) => phrase.length > tail.length && phrase.startsWith(tail))) return start;
      }
    }
    return -1;
  }

  function release() {
    const unfinishedStart = held.search(/\S*$/);
    const unfinished = held.slice(unfinishedStart);
    const known = unfinished && !PLAIN_UNFINISHED.test(unfinished) ? held.slice(0, unfinishedStart) : held;
    if (!known.trim()) return;
    if (releasedText.length + known.length > checkedLength) {
      if (!passes(releasedText + known)) {
        blocked = true;
        return;
      }
      checkedLength = releasedText.length + known.length;
    }

    // The sentence still open at the end of what is known: if it has a figure, what is held of it waits for its end.
    let openFrom = 0;
    for (const match of known.matchAll(SENTENCE_END)) openFrom = match.index + 1;
    let cut = FIGURE.test(known.slice(openFrom)) ? openFrom : known.length;
    const phraseAt = phraseStart(releasedText + known.slice(0, cut), releasedText.length);
    if (phraseAt >= 0) cut = Math.min(cut, phraseAt - releasedText.length);
    if (cut <= 0) return;
    const out = known.slice(0, cut);
    releasedText += out;
    held = held.slice(cut);
    emit?.(out);
  }

  return {
    push(delta) {
      if (blocked || !delta) return;
      held += delta;
      release();
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
