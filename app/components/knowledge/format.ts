import { LANGUAGE_OPTIONS } from "./ArticleForm";

/** How the knowledge pages name kinds and languages and write their figures (en-US, as the rest of the admin). */

const KIND_LABELS: Record<string, { one: string; many: string; origin: string }> = {
  article: { one: "Article", many: "Articles", origin: "Article" },
  policy: { one: "Policy", many: "Policies", origin: "Store policy" },
  product: { one: "Product", many: "Products", origin: "Product" },
  faq: { one: "FAQ", many: "FAQs", origin: "FAQ" },
};

export const kindLabel = (kind: string) => KIND_LABELS[kind]?.one ?? kind;
export const kindPluralLabel = (kind: string) => KIND_LABELS[kind]?.many ?? kind;
/** Where a source comes from, as its editor says it. */
export const originLabel = (kind: string) => KIND_LABELS[kind]?.origin ?? kind;

export const languageName = (code: string) => LANGUAGE_OPTIONS.find((option) => option.value === code)?.label ?? code;

export const formatCount = (value: number) => value.toLocaleString("en-US");

export const plural = (value: number, one: string, many: string) => `${formatCount(value)} ${value === 1 ? one : many}`;

export function formatScore(value: number | null, digits: number) {
  return value === null ? "—" : value.toFixed(digits);
}

export function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A readable excerpt of a Markdown passage. */
export function snippet(markdown: string, max = 280) {
  const text = markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/^\s*[-*+]\s+/gm, "")
    .replace(/[*_`>|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max).replace(/\s+\S*$/, "")}…` : text;
}
