import { describe, expect, it } from "vitest";
import { escalationAssignedEmail, formatShopTime, staffReplyEmail } from "~/modules/notifications/emails";

describe("notification e-mails", () => {
  it("writes the shopper's e-mail in the conversation's language, English otherwise", () => {
    const base = { shopName: "Maison Lune", shopperName: "Élodie Martin", replies: [{ staffName: "Camille Roy", body: "Votre colis est parti." }], storeUrl: "https://maison-lune.myshopify.com" };
    const fr = staffReplyEmail({ ...base, language: "fr" });
    expect(fr.subject).toBe("Réponse de Maison Lune");
    expect(fr.text.split("\n")).toEqual([
      "Bonjour Élodie,",
      "",
      "Camille de Maison Lune a répondu à votre message :",
      "",
      "Votre colis est parti.",
      "",
      "Pour répondre, ouvrez le chat sur notre boutique dans le navigateur utilisé précédemment : https://maison-lune.myshopify.com",
      "",
      "Maison Lune",
    ]);
    expect(staffReplyEmail({ ...base, language: "de" }).subject).toBe("Antwort von Maison Lune");
    expect(staffReplyEmail({ ...base, language: "es" }).subject).toBe("Respuesta de Maison Lune");
    expect(staffReplyEmail({ ...base, language: "ja" }).subject).toBe("Reply from Maison Lune");
  });

  it("names the shop, not one person, when several staff replied, and greets without a name when none is known", () => {
    const email = staffReplyEmail({
      shopName: "Maple",
      language: "en",
      shopperName: null,
      replies: [
        { staffName: "Sam Rivera", body: "One" },
        { staffName: "Kim Osei", body: "Two" },
      ],
      storeUrl: "https://maple.example",
    });
    expect(email.text).toMatch(/^Hello,\n\nMaple replied to your chat:\n\nOne\n\nTwo\n/);
  });

  it("shows the SLA due time in the shop's zone, and says when no target is set", () => {
    const facts = { shopName: "Maple", shopTimezone: "America/New_York", customer: "Jane", inboxUrl: "https://app.example/app/inbox/c1", staffName: "Sam", priority: "urgent", reason: null, summary: null };
    const due = escalationAssignedEmail({ ...facts, slaDueAt: new Date("2026-07-01T16:05:00Z"), slaKind: "next_response" });
    expect(due.text).toContain("Next response due: Jul 1, 2026, 12:05 PM (America/New_York)");
    expect(due.subject).toBe("[Maple] Assigned to you: Jane (urgent priority)");
    expect(escalationAssignedEmail({ ...facts, slaDueAt: null, slaKind: null }).text).toContain("Response due: no target set");
    // A time zone the runtime does not know falls back to UTC instead of failing the job.
    expect(formatShopTime(new Date("2026-07-01T16:05:00Z"), "Mars/Olympus")).toBe("Jul 1, 2026, 4:05 PM (UTC)");
  });
});
