import { describe, expect, it } from "vitest";
import { analyzeMessage } from "~/modules/assistant/nlu";
import type { TurnMemory } from "~/modules/assistant/responder/offline.server";
import { resolveIntent } from "~/modules/assistant/turn.server";

/** What the assistant acts on: the classifier's guess corrected by explicit cues and the conversation's memory. */
function resolve(text: string, memory: TurnMemory = {}) {
  return resolveIntent(analyzeMessage(text, { orderNamePrefix: "#", shopLanguages: ["en", "fr", "de", "es"] }), text, memory);
}

describe("resolveIntent", () => {
  it.each([
    ["Can I return my order #1042? I changed my mind", "get_refund"],
    ["I'd like to return order #1042, it's too small", "get_refund"],
    ["please return order #1001", "get_refund"],
    ["Please cancel order #1004", "cancel_order"],
    ["I need to change the shipping address on my order", "change_shipping_address"],
    ["Where is my order #1003?", "track_order"],
    ["Hi! I have a question", "greeting"],
    ["I want to talk to a human please", "contact_human_agent"],
    ["thanks a lot!", "thanks"],
  ])("%j → %s", (text, intent) => {
    expect(resolve(text)).toBe(intent);
  });

  it("never turns a message without a cancellation word into a cancellation", () => {
    for (const text of ["Can I return my order #1042?", "order #1042 please", "what about #1042", "I changed my mind about #1042"]) {
      expect(resolve(text)).not.toBe("cancel_order");
    }
  });

  it("resolves follow-ups to the order under discussion", () => {
    expect(resolve("and when will it arrive?", { focusOrderName: "#1003" })).toBe("track_order");
    expect(resolve("ok, is it coming this week?", { focusOrderName: "#1003" })).toBe("track_order");
    expect(resolve("I want to return it", { focusOrderName: "#1001" })).toBe("get_refund");
    // Without an order under discussion the same words are a general question.
    expect(resolve("and when will it arrive?")).not.toBe("get_refund");
  });

  it("completes a pending request with the details the shopper sends", () => {
    const awaiting: TurnMemory = { awaiting: { kind: "verification", intent: "cancel_order" } };
    expect(resolve("#1004 alice@example.com", awaiting)).toBe("cancel_order");
    const address: TurnMemory = { awaiting: { kind: "address", intent: "change_shipping_address", orderName: "#1004" } };
    expect(resolve("12 Alder Street, Apt 4B, Portland OR 97209", address)).toBe("change_shipping_address");
    // A new topic drops the pending request.
    expect(resolve("how do I reset my password", address)).toBe("recover_password");
  });

  it("understands the main requests in French, German and Spanish", () => {
    expect(resolve("Bonjour, où est ma commande ?")).toBe("track_order");
    expect(resolve("Je voudrais être remboursé pour la commande #1001")).toBe("get_refund");
    expect(resolve("Ich möchte meine Bestellung stornieren")).toBe("cancel_order");
    expect(resolve("Quiero hablar con un agente")).toBe("contact_human_agent");
    expect(resolve("¿Dónde está mi pedido?")).toBe("track_order");
  });
});
