/**
 * Structure-aware chunking of Markdown: sections follow headings (the heading path travels with each chunk),
 * paragraphs are packed into chunks of about TARGET_TOKENS (never above MAX_TOKENS), a long section carries
 * OVERLAP_TOKENS of context from one chunk into the next, and tiny sections join their neighbour.
 */

export const TARGET_TOKENS = 380;
export const MAX_TOKENS = 500;
export const OVERLAP_TOKENS = 60;
const MIN_SECTION_TOKENS = 80;

export interface Chunk {
  ordinal: number;
  /** Heading path, e.g. "Returns › Damaged items"; null before the first heading. */
  heading: string | null;
  content: string;
  tokenCount: number;
}

/** A cheap, stable token estimate (~1.3 tokens per word for English BPE tokenisers). */
export function estimateTokens(text: string) {
  const words = text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;
  return Math.ceil(words * 1.3);
}

interface Section {
  heading: string | null;
  paragraphs: string[];
}

function splitSections(markdown: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let current: Section = { heading: null, paragraphs: [] };
  let paragraph: string[] = [];
  let inFence = false;

  const flushParagraph = () => {
    const text = paragraph.join("\n").trim();
    if (text) current.paragraphs.push(text);
    paragraph = [];
  };

  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence && /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushParagraph();
      if (current.paragraphs.length > 0 || current.heading) sections.push(current);
      const level = heading[1]!.length;
      path.length = Math.min(path.length, level - 1);
      path[level - 1] = heading[2]!.trim();
      current = { heading: path.filter(Boolean).join(" › "), paragraphs: [] };
    } else if (!inFence && line.trim() === "") {
      flushParagraph();
    } else {
      paragraph.push(line);
    }
  }
  flushParagraph();
  if (current.paragraphs.length > 0 || current.heading) sections.push(current);
  return sections.filter((section) => section.paragraphs.length > 0);
}

/** Splits an over-long paragraph at sentence ends (or, failing that, at word boundaries). */
function splitLongParagraph(paragraph: string): string[] {
  if (estimateTokens(paragraph) <= MAX_TOKENS) return [paragraph];
  const sentences = paragraph.match(/[^.!?\n]+(?:[.!?]+|\n|$)/g) ?? [paragraph];
  const pieces: string[] = [];
  let piece = "";
  for (const sentence of sentences) {
    const candidate = piece ? `${piece} ${sentence.trim()}` : sentence.trim();
    if (estimateTokens(candidate) > TARGET_TOKENS && piece) {
      pieces.push(piece);
      piece = sentence.trim();
    } else {
      piece = candidate;
    }
  }
  if (piece) pieces.push(piece);
  // A single sentence longer than the limit: cut by words.
  return pieces.flatMap((text) => {
    if (estimateTokens(text) <= MAX_TOKENS) return [text];
    const words = text.split(/\s+/);
    const size = Math.floor(TARGET_TOKENS / 1.3);
    const out: string[] = [];
    for (let index = 0; index < words.length; index += size) out.push(words.slice(index, index + size).join(" "));
    return out;
  });
}

/** The tail of a chunk (whole sentences, about OVERLAP_TOKENS) repeated at the start of the next one. */
function overlapTail(text: string) {
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+|\n|$)/g) ?? [text];
  let tail = "";
  for (let index = sentences.length - 1; index >= 0; index--) {
    const candidate = `${sentences[index]!.trim()} ${tail}`.trim();
    if (estimateTokens(candidate) > OVERLAP_TOKENS) break;
    tail = candidate;
  }
  return tail;
}

function packSection(section: Section): { heading: string | null; content: string }[] {
  const paragraphs = section.paragraphs.flatMap(splitLongParagraph);
  const chunks: string[] = [];
  let buffer: string[] = [];
  for (const paragraph of paragraphs) {
    const candidate = [...buffer, paragraph].join("\n\n");
    if (buffer.length > 0 && estimateTokens(candidate) > TARGET_TOKENS) {
      const content = buffer.join("\n\n");
      chunks.push(content);
      const tail = overlapTail(content);
      buffer = tail && estimateTokens(`${tail}\n\n${paragraph}`) <= MAX_TOKENS ? [tail, paragraph] : [paragraph];
    } else {
      buffer.push(paragraph);
    }
  }
  if (buffer.length > 0) chunks.push(buffer.join("\n\n"));
  return chunks.map((content) => ({ heading: section.heading, content }));
}

export function chunkMarkdown(markdown: string): Chunk[] {
  const sections = splitSections(markdown);
  // Tiny sections (a one-line answer under its own heading) join the next section so no chunk is a fragment.
  const merged: Section[] = [];
  for (const section of sections) {
    const previous = merged.at(-1);
    const previousTokens = previous ? estimateTokens(previous.paragraphs.join("\n\n")) : 0;
    const tokens = estimateTokens(section.paragraphs.join("\n\n"));
    if (previous && previousTokens < MIN_SECTION_TOKENS && previousTokens + tokens <= TARGET_TOKENS) {
      const label = (heading: string | null) => heading ?? "";
      previous.paragraphs = [
        ...previous.paragraphs,
        ...(section.heading && section.heading !== previous.heading ? [`${label(section.heading).split(" › ").at(-1)}:`] : []),
        ...section.paragraphs,
      ];
      previous.heading = [previous.heading, section.heading].filter(Boolean).join(" · ") || null;
    } else {
      merged.push({ heading: section.heading, paragraphs: [...section.paragraphs] });
    }
  }
  return merged.flatMap(packSection).map((chunk, ordinal) => ({ ordinal, ...chunk, tokenCount: estimateTokens(chunk.content) }));
}
