import { availabilityAt } from "~/modules/routing";
import { hasPhrases, type PhraseLanguage, phrase } from "./responder/phrases";
import type { AssistantProfile } from "./settings.server";

/**
 * What the shopper is told on handoff: honestly whether someone is in now, and if not when they are back
 * and how long a reply usually takes — from the merchant's business hours, never promised beyond them.
 */
export function handoffMessage(profile: AssistantProfile, language: string, now: Date, options: { alreadyEscalated?: boolean; frustrated?: boolean } = {}): string {
  const lang: PhraseLanguage = hasPhrases(language) ? language : "en";
  if (options.alreadyEscalated) return phrase(lang, "alreadyWithHuman");
  const availability = availabilityAt(profile.settings.businessHours, now, profile.shop.timezone);
  const parts: string[] = [];
  if (options.frustrated) parts.push(phrase(lang, "frustrationApology"));
  if (!availability.configured) parts.push(phrase(lang, "handoffUnknownHours"));
  else if (availability.open) parts.push(phrase(lang, "handoffOpen"));
  else if (availability.nextOpening) {
    const weekdays = phrase(lang, "weekdays").split(",");
    const index = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].indexOf(availability.nextOpening.weekday);
    parts.push(phrase(lang, "handoffClosed", { when: phrase(lang, "at", { day: weekdays[index] ?? availability.nextOpening.weekday, time: availability.nextOpening.time }) }));
  } else parts.push(phrase(lang, "handoffUnknownHours"));
  const expected = availability.expectedResponse ? localizedWithin(availability.expectedResponse, lang) : undefined;
  if (expected) parts.push(phrase(lang, "expected", { expected }));
  return parts.join(" ");
}

/**
 * The merchant writes the usual response time once, in English ("within 2 hours", "24h", "1 business day"); it is
 * said in the shopper's language. Other wording is quoted as written in English and left out of other languages,
 * where it would be the one English sentence of the reply.
 */
export function localizedWithin(expected: string, language: PhraseLanguage): string | undefined {
  const match = expected
    .trim()
    .match(/^(?:(?:usually|typically|normally)\s+)?(?:within|in|under|less than)?\s*(an?|one|\d+)\s*(business\s+|working\s+)?(minutes?|mins?|hours?|hrs?|h|days?)\.?$/i);
  if (!match) return language === "en" ? expected : undefined;
  if (language === "en" && /^within\b/i.test(expected.trim())) return expected.trim();
  const count = /^\d+$/.test(match[1]!) ? Number(match[1]) : 1;
  const unit = match[3]!.toLowerCase();
  if (unit.startsWith("m")) return phrase(language, "withinMinutes", { count: String(count) });
  if (unit.startsWith("h")) return count === 1 ? phrase(language, "withinHour") : phrase(language, "withinHours", { count: String(count) });
  if (match[2]) return count === 1 ? phrase(language, "withinDay") : phrase(language, "withinDays", { count: String(count) });
  return count === 1 ? phrase(language, "withinCalendarDay") : phrase(language, "withinCalendarDays", { count: String(count) });
}
