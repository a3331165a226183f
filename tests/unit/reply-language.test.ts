import { describe, expect, it } from "vitest";
import type { AssistantProfile } from "~/modules/assistant";
import { analyzeMessage } from "~/modules/assistant";
import { buildSystemPrompt } from "~/modules/assistant/prompts";
import { orderReplyLanguages } from "~/modules/assistant/settings.server";
import { chooseReplyLanguage } from "~/modules/assistant/turn.server";

/** The merchant's reply-language restriction, as the turn and the chat model's prompt apply it. */

function profile(replyLanguages: string[], shop: { primaryLocale?: string; locales?: string[] } = {}): AssistantProfile {
  const primaryLocale = shop.primaryLocale ?? "en";
  const locales = shop.locales ?? ["en", "fr", "de", "es"];
  return {
    shop: { id: "s", name: "Alder & Pine", currency: "USD", timezone: "UTC", primaryLocale, locales, orderNamePrefix: "#", supportEmail: null },
    settings: {
      assistantName: "Maple",
      greeting: "Hi!",
      avatarUrl: null,
      brandTone: "professional",
      brandVoice: "Use the shopper's first name.",
      neverSay: [],
      replyLanguages: orderReplyLanguages(replyLanguages, { primaryLocale, locales }),
      returnWindowDays: 30,
      autoApproveRefundLimit: 50,
      returnConditions: "Unused.",
      nonReturnableTags: [],
      returnNeedsApproval: false,
      refundNeedsApproval: false,
      allowCancelUnfulfilled: true,
      cancelWindowMinutes: null,
      addressChangeNeedsApproval: true,
      escalation: { orderValueThreshold: null, keywords: [], frustrationThreshold: 0.75, maxFailedTurns: 2 },
      businessHours: {},
      quickReplies: [],
      chatModel: null,
    },
  };
}

const french = analyzeMessage("Bonjour, pouvez-vous me dire où en est ma commande ?");
const german = analyzeMessage("Hallo, wo ist meine Bestellung? Wann kommt sie an?");
const japanese = { ...french, language: "ja", languageReliable: true };

describe("reply language", () => {
  it("orders the allowed languages with the shop's primary first, then its storefront languages", () => {
    expect(orderReplyLanguages(["es", "fr", "en"], { primaryLocale: "fr-CA", locales: ["fr-CA", "es", "en"] })).toEqual(["fr", "es", "en"]);
    expect(orderReplyLanguages(["de", "fr"], { primaryLocale: "en", locales: ["en", "fr", "de"] })).toEqual(["fr", "de"]);
    // Unknown codes are dropped: the assistant has no words for them.
    expect(orderReplyLanguages(["it", "de"], { primaryLocale: "en", locales: ["en"] })).toEqual(["de"]);
  });

  it("without a restriction, answers in the shopper's language (any, with a model)", () => {
    expect(french.languageReliable).toBe(true);
    expect(chooseReplyLanguage(french, "en", profile([]), false)).toEqual({ language: "fr" });
    expect(chooseReplyLanguage(japanese, "en", profile([]), true)).toEqual({ language: "ja" });
    expect(chooseReplyLanguage(japanese, "en", profile([]), false)).toEqual({ language: "en", unsupported: "ja" });
  });

  it("with a restriction, answers an allowed language in it and any other in the conversation's or the primary allowed one", () => {
    expect(chooseReplyLanguage(german, "en", profile(["en", "de"]), false)).toEqual({ language: "de" });
    expect(chooseReplyLanguage(french, "en", profile(["en"]), false)).toEqual({ language: "en", unsupported: "fr" });
    // The model is held to it too.
    expect(chooseReplyLanguage(japanese, "en", profile(["en"]), true)).toEqual({ language: "en", unsupported: "ja" });
    // The conversation's language is not allowed either: the shop's primary allowed one (fr before de here).
    expect(chooseReplyLanguage(japanese, "en", profile(["de", "fr"]), true)).toEqual({ language: "fr", unsupported: "ja" });
    expect(chooseReplyLanguage(french, "de", profile(["de", "en"], { primaryLocale: "en" }), false)).toEqual({ language: "de", unsupported: "fr" });
  });

  it("tells the chat model the tone, the brand voice and the languages it may use", () => {
    const prompt = buildSystemPrompt({ profile: profile(["en", "de"]), replyLanguage: "en", knowledge: [], verifiedOrders: [], loggedIn: false, injectionSuspected: false });
    expect(prompt).toContain("Tone: Professional and precise");
    expect(prompt).toContain("Brand voice: Use the shopper's first name.");
    expect(prompt).toContain('The store lets you reply only in English or German. When the shopper writes in another language, still reply in the language with code "en"');
    const open = buildSystemPrompt({ profile: profile([]), replyLanguage: "fr", knowledge: [], verifiedOrders: [], loggedIn: false, injectionSuspected: false });
    expect(open).not.toContain("reply only in");
  });
});
