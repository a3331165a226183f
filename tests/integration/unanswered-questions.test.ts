import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getAnalyticsReport, localDay } from "~/modules/analytics";
import { handleShopperMessage } from "~/modules/conversations";
import { NOW } from "../support/assistant-fixtures";
import { useOnlineAssistant } from "../support/online-assistant";

/**
 * Unanswered questions are marked on the assistant's reply when it is written (metadata.unanswered), on the offline
 * path and through a chat model (the OpenAI wire format, served locally), in any language; the dashboard's
 * unanswered questions read that mark, never the reply's words.
 */
describe("unanswered questions, marked by the turn pipeline", () => {
  const online = useOnlineAssistant({ maxRetries: 0 });

  async function ask(text: string, withModel: boolean) {
    const conversationId = await online.newConversation();
    const result = await handleShopperMessage(prisma, { shopId: online.fx.shopId, conversationId, text }, { now: NOW, ...(withModel ? { chatModel: online.model() } : {}) });
    const stored = await prisma.message.findUniqueOrThrow({ where: { id: result.reply!.id } });
    return { ...result, conversationId, metadata: stored.metadata as { unanswered?: { reason: string } } };
  }

  const asked: Record<string, string> = {};

  it("offline: a French question the help center does not answer is marked no_good_match, in French", async () => {
    const question = "Est-ce que vous sponsorisez des équipes d'escalade ?";
    const turn = await ask(question, false);
    expect(turn.provider).toBe("offline");
    expect(turn.reply!.body).toMatch(/Je n'ai pas trouvé/);
    expect(turn.metadata.unanswered).toEqual({ reason: "no_good_match" });
    asked.offline = turn.conversationId;
  });

  it("offline: a question the help center answers is not marked", async () => {
    const turn = await ask("How long does shipping take?", false);
    expect(turn.metadata.unanswered).toBeUndefined();
    expect(turn.reply!.citations?.length).toBeGreaterThan(0);
  });

  it("a chat model says it does not know through note_unanswered_question: marked said_unknown, whatever its words", async () => {
    online.server.reset();
    online.server.enqueue(
      { type: "tool_calls", calls: [{ id: "call_gap", name: "note_unanswered_question", arguments: "{}" }] },
      { type: "text", text: "Das kann ich leider nicht sagen. Soll ich Sie mit einem Kollegen verbinden?" },
    );
    const turn = await ask("Bieten Sie eine Geschenkverpackung mit Grußkarte an?", true);
    expect(turn.provider).toBe("openai");
    expect(turn.reply!.body).toBe("Das kann ich leider nicht sagen. Soll ich Sie mit einem Kollegen verbinden?");
    expect(turn.metadata.unanswered).toEqual({ reason: "said_unknown" });
    // The contract the model was given: the tool, and the rule to call it.
    const [first] = online.server.requests;
    expect(first!.body.tools?.map((tool) => (tool as { function: { name: string } }).function.name)).toContain("note_unanswered_question");
    expect((first!.body.messages[0] as { content: string }).content).toContain("call note_unanswered_question, then say you don't know");
    asked.saidUnknown = turn.conversationId;
  });

  it("a chat model answering a question retrieval found nothing for, with no tool and no citation: marked no_good_match", async () => {
    online.server.reset();
    online.server.enqueue({ type: "text", text: "We don't have anything about that here, sorry. Would you like me to ask a colleague?" });
    const turn = await ask("Do you sponsor mountain climbing teams?", true);
    expect(turn.provider).toBe("openai");
    expect(turn.metadata.unanswered).toEqual({ reason: "no_good_match" });
    asked.noMatch = turn.conversationId;
  });

  it("a chat model's answer from a passage it cites, or from a tool, is not marked", async () => {
    online.server.reset();
    online.server.enqueue({ type: "text", text: "Our shipping page has the delivery times for each option [1]." });
    const cited = await ask("How long does shipping take?", true);
    expect(cited.provider).toBe("openai");
    expect(cited.metadata.unanswered).toBeUndefined();

    online.server.reset();
    online.server.enqueue(
      { type: "tool_calls", calls: [{ id: "call_1", name: "lookup_order", arguments: JSON.stringify({ order_number: "#1003", email: "alice@example.com" }) }] },
      { type: "text", text: "Order #1003 is on its way with UPS." },
    );
    const tool = await ask("Where is order #1003? My email is alice@example.com", true);
    expect(tool.provider).toBe("openai");
    expect(tool.metadata.unanswered).toBeUndefined();
  });

  it("the dashboard lists exactly the marked questions, grouped, in their own words", async () => {
    const now = new Date();
    const today = localDay(now, "America/Los_Angeles");
    const report = await getAnalyticsReport({ shopId: online.fx.shopId, period: { from: today, to: today }, now });
    expect(report!.summary.unanswered).toBe(3);
    const questions = report!.unanswered.flatMap((group) => group.examples);
    expect(questions).toEqual(
      expect.arrayContaining(["Est-ce que vous sponsorisez des équipes d'escalade ?", "Bieten Sie eine Geschenkverpackung mit Grußkarte an?", "Do you sponsor mountain climbing teams?"]),
    );
    expect(questions).not.toContain("How long does shipping take?");
    expect(report!.unanswered.reduce((sum, group) => sum + group.count, 0)).toBe(3);
    expect(report!.unanswered.flatMap((group) => group.conversationIds).sort()).toEqual([asked.offline, asked.saidUnknown, asked.noMatch].sort());
  });
});
