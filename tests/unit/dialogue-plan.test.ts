import { describe, expect, it } from "vitest";
import { namedItems, orderAspectAsked, yesNo } from "~/modules/assistant/dialogue/acts";
import { type Plan, planIntent, planTurn } from "~/modules/assistant/dialogue/plan";
import { type DialogueState, readDialogueState } from "~/modules/assistant/dialogue/state";
import { analyzeMessage } from "~/modules/assistant/nlu";

/** What a message means in the light of the conversation: the offline assistant's planner. */
function plan(text: string, state: DialogueState = {}, loggedIn = false): Plan {
  const nlu = analyzeMessage(text, { orderNamePrefix: "#", shopLanguages: ["en", "fr", "de", "es"] });
  return planTurn(state, nlu, text, { loggedIn, aboutProduct: false, abusive: false });
}
const intentOf = (text: string, state: DialogueState = {}, loggedIn = false) => planIntent(plan(text, state, loggedIn), analyzeMessage(text, { orderNamePrefix: "#" }));

describe("planTurn", () => {
  it.each([
    ["Can I return my order #1042? I changed my mind", "get_refund"],
    ["I'd like to return order #1042, it's too small", "get_refund"],
    ["please return order #1001", "get_refund"],
    ["Please cancel order #1004", "cancel_order"],
    ["Where is my order #1003?", "track_order"],
    ["I want to talk to a human please", "contact_human_agent"],
    ["thanks a lot!", "thanks"],
  ])("%j → %s", (text, intent) => {
    expect(intentOf(text)).toBe(intent);
  });

  it("never turns a message without a cancellation word into a cancellation", () => {
    for (const text of ["Can I return my order #1042?", "order #1042 please", "what about #1042", "I changed my mind about #1042"]) {
      expect(intentOf(text)).not.toBe("cancel_order");
    }
  });

  it("starts a flow from a plain request or a suggestion chip, without an order named yet", () => {
    for (const text of ["I want to return something", "Start a return", "Faire un retour", "I'd like to cancel my order please"]) {
      expect(plan(text), text).toMatchObject({ kind: "flow", flow: { kind: expect.stringMatching(/return|cancel/) } });
    }
    expect(plan("Track my order")).toMatchObject({ kind: "flow", flow: { kind: "status" } });
    expect(plan("I'd like to know your return policy").kind).not.toBe("flow");
  });

  it("answers policy questions from knowledge instead of starting an order flow", () => {
    for (const text of ["is there a fee if I cancel?", "what is your refund policy?", "how long do refunds take?"]) {
      expect(plan(text).kind, text).not.toBe("flow");
    }
  });

  it("reads a yes or no as an answer only when a question is pending", () => {
    const confirm: DialogueState = { flow: { kind: "return", orderName: "#1001" }, pending: "confirm", focusOrderName: "#1001" };
    expect(plan("yes please", confirm)).toEqual({ kind: "flow", flow: confirm.flow, confirmed: true });
    expect(plan("no", confirm)).toEqual({ kind: "flow_declined", flow: confirm.flow });
    // Nothing pending: a stray "yes" is neither a handoff nor an action.
    expect(plan("yes please")).toEqual({ kind: "stray_answer" });
    expect(plan("yes please", { focusOrderName: "#1001" })).toEqual({ kind: "stray_answer" });
    // "Yes" to a question that wants details is not a confirmation.
    const asking: DialogueState = { flow: { kind: "cancel", orderName: "#1004" }, pending: "email" };
    expect(plan("yes", asking)).toMatchObject({ kind: "flow", confirmed: false });
    // An offer of a person accepted is a handoff; declined, nothing happens.
    expect(plan("yes", { pending: "human_offer" })).toEqual({ kind: "handoff" });
    expect(plan("no thanks", { pending: "human_offer" })).toEqual({ kind: "offer_declined" });
  });

  it("keeps the request that started a flow through verification, and the order number through a wrong email", () => {
    const started = plan("I want to start a return");
    expect(started).toMatchObject({ kind: "flow", flow: { kind: "return" } });
    const askedOrder: DialogueState = { flow: { kind: "return" }, pending: "order" };
    expect(plan("#1001 alice@example.com", askedOrder)).toMatchObject({ kind: "flow", flow: { kind: "return", orderName: "#1001", email: "alice@example.com" } });
    // After a wrong email the assistant asks for the email again; the order number stays.
    const retry: DialogueState = { flow: { kind: "return", orderName: "#1001" }, pending: "email" };
    expect(plan("alice@example.com", retry)).toMatchObject({ kind: "flow", flow: { kind: "return", orderName: "#1001", email: "alice@example.com" } });
  });

  it("takes a new address as the answer to the address question, and a new topic as leaving the flow", () => {
    const address: DialogueState = { flow: { kind: "address", orderName: "#1004" }, pending: "address" };
    expect(plan("12 Alder Street, Apt 4B, Portland OR 97209", address)).toMatchObject({ kind: "flow", flow: { kind: "address", orderName: "#1004", newAddress: "12 Alder Street, Apt 4B, Portland OR 97209" } });
    expect(plan("how do I reset my password", address).kind).toBe("question");
  });

  it("resolves follow-ups to the order under discussion, asking only for the detail wanted", () => {
    expect(plan("and when will it arrive?", { focusOrderName: "#1003" })).toMatchObject({ kind: "flow", flow: { kind: "status", orderName: "#1003", aspect: "eta" } });
    expect(plan("tracking number?", { focusOrderName: "#1003" })).toMatchObject({ kind: "flow", flow: { kind: "status", orderName: "#1003", aspect: "tracking" } });
    expect(plan("I want to return it", { focusOrderName: "#1001" })).toMatchObject({ kind: "flow", flow: { kind: "return", orderName: "#1001" } });
    // A logged-in customer changing the address of the order under discussion is not asked which order.
    expect(plan("can you change the delivery address of this order?", { focusOrderName: "#1004" }, true)).toMatchObject({ kind: "flow", flow: { kind: "address", orderName: "#1004" } });
  });
});

describe("dialogue acts", () => {
  it("reads yes and no in four languages, and nothing else as either", () => {
    for (const text of ["yes", "Yes please!", "oui", "Ja, bitte", "sí", "vale", "ok"]) expect(yesNo(text), text).toBe("yes");
    for (const text of ["no", "No thanks", "non merci", "nein", "mejor no"]) expect(yesNo(text), text).toBe("no");
    for (const text of ["where is my order?", "yesterday I ordered a tee", "nothing arrived", "notebook"]) expect(yesNo(text), text).toBeUndefined();
  });

  it("names the items of an order a message mentions, with quantities", () => {
    const lines = [
      { id: "tee", title: "Organic Cotton Tee", quantity: 2 },
      { id: "socks", title: "Merino Hiking Socks", quantity: 3 },
    ];
    expect(namedItems("the tee doesn't fit", lines)).toEqual([{ id: "tee", title: "Organic Cotton Tee" }]);
    expect(namedItems("2 socks please", lines)).toEqual([{ id: "socks", title: "Merino Hiking Socks", quantity: 2 }]);
    expect(namedItems("both", lines).map((item) => item.id)).toEqual(["tee", "socks"]);
    expect(namedItems("I changed my mind", lines)).toEqual([]);
  });

  it("tells which detail a follow-up asks for", () => {
    expect(orderAspectAsked("when will it arrive?")).toBe("eta");
    expect(orderAspectAsked("what's the tracking number?")).toBe("tracking");
    expect(orderAspectAsked("Wann kommt es an?")).toBe("eta");
    expect(orderAspectAsked("thanks")).toBeUndefined();
  });

  it("reads older stored memories into the dialogue state", () => {
    expect(readDialogueState({ focusOrderName: "#1003", awaiting: { kind: "verification", intent: "cancel_order", orderName: "#1004" } })).toEqual({
      focusOrderName: "#1003",
      flow: { kind: "cancel", orderName: "#1004", email: undefined },
      pending: "email",
    });
    expect(readDialogueState("garbage")).toEqual({});
    expect(readDialogueState({ flow: { kind: "delete_everything" }, pending: "confirm" })).toEqual({ pending: "confirm" });
  });
});
