import { describe, expect, it } from "vitest";
import { localizedWithin } from "~/modules/assistant/handoff";

describe("the usual response time in the shopper's language", () => {
  it("says the common forms in each language, business days apart from days", () => {
    expect(localizedWithin("within 2 hours", "fr")).toBe("sous 2 heures");
    expect(localizedWithin("24h", "de")).toBe("innerhalb von 24 Stunden");
    expect(localizedWithin("Usually within 1 business day", "es")).toBe("en un día laborable");
    expect(localizedWithin("within 2 days", "de")).toBe("innerhalb von 2 Tagen");
    expect(localizedWithin("in 30 mins", "fr")).toBe("sous 30 minutes");
    expect(localizedWithin("within an hour", "es")).toBe("en una hora");
  });

  it("keeps the merchant's English as written, and leaves wording it cannot say out of other languages", () => {
    expect(localizedWithin("within 2 hours", "en")).toBe("within 2 hours");
    expect(localizedWithin("2 hours", "en")).toBe("within 2 hours");
    expect(localizedWithin("same day if you write before noon", "en")).toBe("same day if you write before noon");
    expect(localizedWithin("same day if you write before noon", "fr")).toBeUndefined();
  });
});
