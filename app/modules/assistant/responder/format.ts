import type { ToolContext } from "../tools/context";
import type { PhraseLanguage } from "./phrases";

/** Dates and money in the shopper's language and the shop's timezone. */

export function formatDate(iso: string | null | undefined, ctx: ToolContext, language: PhraseLanguage): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: ctx.profile.shop.timezone }).format(new Date(iso));
}

export function formatMoney(amount: string, currency: string, language: PhraseLanguage): string {
  return new Intl.NumberFormat(language, { style: "currency", currency }).format(Number(amount));
}
