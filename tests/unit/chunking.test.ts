import { describe, expect, it } from "vitest";
import { chunkMarkdown, estimateTokens } from "~/modules/knowledge";

const paragraph = (topic: string, sentences: number) =>
  Array.from({ length: sentences }, (_, index) => `${topic} sentence ${index + 1} explains one more detail about ${topic}.`).join(" ");

describe("structure-aware chunking", () => {
  it("keeps the heading path with each section", () => {
    const chunks = chunkMarkdown(
      `# Returns\n\n## Damaged items\n\n${paragraph("damage", 12)}\n\n## Exchanges\n\n${paragraph("exchange", 12)}`,
    );
    expect(chunks.map((chunk) => chunk.heading)).toEqual(["Returns › Damaged items", "Returns › Exchanges"]);
    expect(chunks[0]!.content).toContain("damage sentence 1");
    expect(chunks[0]!.content).not.toContain("exchange");
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual([0, 1]);
  });

  it("packs long sections into 300–500-token chunks that overlap", () => {
    const body = `## Shipping\n\n${Array.from({ length: 12 }, (_, index) => paragraph(`zone${index}`, 6)).join("\n\n")}`;
    const chunks = chunkMarkdown(body);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(500);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.tokenCount).toBeGreaterThanOrEqual(250);
    // The end of one chunk opens the next.
    const overlap = chunks[1]!.content.split("\n\n")[0]!;
    expect(estimateTokens(overlap)).toBeGreaterThan(10);
    expect(estimateTokens(overlap)).toBeLessThanOrEqual(60);
    expect(chunks[0]!.content.endsWith(overlap)).toBe(true);
  });

  it("splits a single huge paragraph at sentence boundaries", () => {
    const chunks = chunkMarkdown(paragraph("warranty", 200));
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(500);
      expect(chunk.content.trim().endsWith(".")).toBe(true);
    }
  });

  it("joins a tiny section to the next one instead of leaving a fragment", () => {
    const chunks = chunkMarkdown(`## Hours\n\nWe answer 9–5.\n\n## Phone\n\n${paragraph("phone", 5)}`);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.heading).toBe("Hours · Phone");
    expect(chunks[0]!.content).toContain("We answer 9–5.");
    expect(chunks[0]!.content).toContain("Phone:");
  });

  it("does not treat # inside code fences as headings, and ignores empty input", () => {
    const chunks = chunkMarkdown("## Setup\n\n```sh\n# not a heading\nnpm install\n```\n\nThen run it.");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.content).toContain("# not a heading");
    expect(chunkMarkdown("   \n\n")).toEqual([]);
  });

  it("estimates tokens from words and punctuation", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("Free shipping over $75!")).toBe(Math.ceil(6 * 1.3));
  });
});
