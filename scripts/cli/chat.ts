/**
 * `npm run cli -- chat --shop <domain> [--customer <email>]`: talk to the assistant on a shop's data from
 * the terminal, as a storefront shopper would (logged in as the customer with that email, if given).
 * Replies stream as they are produced. Works interactively and with piped input (one message per line).
 */
import { createInterface } from "node:readline";

/** A line that ends the chat instead of being sent: what people type to leave a terminal program. */
const LEAVE = /^\/?(quit|exit)$/i;

export async function runChat(options: { shopId: string; customerEmail?: string; output?: NodeJS.WritableStream }): Promise<number> {
  const out = options.output ?? process.stdout;
  const { default: prisma } = await import("../../app/db.server");
  const { chatModelFromEnv, loadAssistantProfile } = await import("../../app/modules/assistant");
  const { ConversationError, handleShopperMessage, startConversation } = await import("../../app/modules/conversations");

  let customerId: string | undefined;
  if (options.customerEmail) {
    const customer = await prisma.customer.findFirst({ where: { shopId: options.shopId, email: options.customerEmail.toLowerCase() }, select: { id: true } });
    if (!customer) {
      console.error(`chat: no customer with email ${options.customerEmail} in this shop`);
      return 1;
    }
    customerId = customer.id;
  }
  const profile = await loadAssistantProfile(prisma, options.shopId);
  const chatModel = chatModelFromEnv();
  const { conversation } = await startConversation(prisma, { shopId: options.shopId, customerId });
  const interactive = Boolean(process.stdin.isTTY);
  const name = profile.settings.assistantName;
  out.write(`${name} (${chatModel ? chatModel.id : "offline"}) — conversation ${conversation.id}${customerId ? `, logged in as ${options.customerEmail}` : ""}\n`);
  if (interactive) out.write("(type /quit or press Ctrl+D to leave)\n");
  out.write(`${name}: ${profile.settings.greeting}\n`);

  const lines = createInterface({ input: process.stdin, terminal: interactive });
  const prompt = () => interactive && out.write("you> ");
  prompt();
  for await (const line of lines) {
    const text = line.trim();
    if (LEAVE.test(text)) break;
    if (!text) {
      prompt();
      continue;
    }
    if (!interactive) out.write(`you> ${text}\n`);
    out.write(`${name}: `);
    let streamed = false;
    try {
      const turn = await handleShopperMessage(
        prisma,
        { shopId: options.shopId, conversationId: conversation.id, text },
        {
          chatModel,
          onEvent: (event) => {
            if (event.type === "delta") {
              streamed = true;
              out.write(event.text);
            } else if (event.type === "reset") out.write(" [withdrawn]\n");
          },
        },
      );
      if (!turn.reply) out.write("(a person from the team has this conversation; the assistant stays quiet)");
      else if (!streamed) out.write(turn.reply.body);
      const notes = [
        turn.intent ? `intent ${turn.intent}` : "",
        turn.reply?.quickReplies?.length ? `suggestions: ${turn.reply.quickReplies.join(" | ")}` : "",
        turn.reply?.citations?.length ? `sources: ${turn.reply.citations.map((citation) => citation.title).join("; ")}` : "",
        turn.escalated ? `handed off (${turn.escalationReason})` : "",
      ].filter(Boolean);
      out.write(`\n${notes.length ? `  [${notes.join(" · ")}]\n` : ""}`);
    } catch (error) {
      if (!(error instanceof ConversationError)) throw error;
      out.write(`\n  [error: ${error.message}]\n`);
    }
    prompt();
  }
  return 0;
}
