import type { KnowledgeKind } from "@prisma/client";
import { z } from "zod";

export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_LENGTH = 50_000;
export const MAX_TAGS = 20;
export const KNOWLEDGE_KINDS = ["article", "policy", "product", "faq"] as const satisfies readonly KnowledgeKind[];

/** BCP 47-ish language codes the storefront uses: "en", "fr", "pt-BR". */
export const LANGUAGE_CODE = /^[a-z]{2}(-[A-Z]{2})?$/;
export const LanguageSchema = z.string().trim().regex(LANGUAGE_CODE, "Use a language code such as en, fr or pt-BR");

const TagsSchema = z
  .union([z.array(z.string()), z.string()])
  .transform((tags) => (typeof tags === "string" ? tags.split(/[,;|]/) : tags))
  .transform((tags) => [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))])
  .refine((tags) => tags.length <= MAX_TAGS, `At most ${MAX_TAGS} tags`)
  .refine((tags) => tags.every((tag) => tag.length <= 40), "Tags are at most 40 characters");

export const ArticleInputSchema = z.object({
  title: z
    .string({ error: "Title is required" })
    .trim()
    .min(1, "Title is required")
    .max(MAX_TITLE_LENGTH, `Title is longer than ${MAX_TITLE_LENGTH} characters`),
  body: z
    .string({ error: "Body is required" })
    .refine((body) => body.trim().length > 0, "Body is empty")
    .refine((body) => body.length <= MAX_BODY_LENGTH, `Body is longer than ${MAX_BODY_LENGTH.toLocaleString("en-US")} characters`),
  tags: TagsSchema.optional().default([]),
  language: LanguageSchema.optional().default("en"),
  status: z.enum(["draft", "published"]).optional(),
});
/** The article form as the new-article and editor pages post it; its content rules are parseArticle's. */
export const ArticleFormSchema = z.object({
  title: z.string().default(""),
  body: z.string().default(""),
  tags: z.string().default(""),
  language: z.string().default("en"),
});

export type ArticleInput = z.input<typeof ArticleInputSchema>;
export type ValidArticle = z.output<typeof ArticleInputSchema>;

export const SearchQuerySchema = z.object({
  query: z.string().trim().min(1, "Ask a question to search for").max(1000, "The question is longer than 1,000 characters"),
  language: LanguageSchema.optional(),
  /** Any language tag is accepted here: one the expansion does not know is searched as written. */
  queryLanguage: z.string().trim().max(35).optional(),
  limit: z.coerce.number().int().min(1).max(20).optional().default(5),
});

/** The first problem zod found, as one sentence, and the field it concerns. */
export function firstIssue(error: z.ZodError) {
  const issue = error.issues[0]!;
  return { message: issue.message, field: issue.path.join(".") || undefined };
}
