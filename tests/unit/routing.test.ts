import { describe, expect, it } from "vitest";
import { availabilityAt, decideEscalation, exceedsOrderValueThreshold, parseBusinessHours, parseEscalationRules } from "~/modules/routing";

const hours = parseBusinessHours({
  timezone: "America/Los_Angeles",
  days: {
    monday: { open: "08:00", close: "18:00" },
    tuesday: { open: "08:00", close: "18:00" },
    wednesday: { open: "08:00", close: "18:00" },
    thursday: { open: "08:00", close: "18:00" },
    friday: { open: "08:00", close: "18:00" },
    saturday: { open: "09:00", close: "15:00" },
    sunday: null,
  },
  expectedResponse: "within 1 business day",
});

describe("business hours", () => {
  it("is open during the day in the shop's time zone", () => {
    // 2026-11-20 is a Friday; 17:00 UTC is 09:00 in Los Angeles.
    expect(availabilityAt(hours, new Date("2026-11-20T17:00:00Z"))).toMatchObject({ configured: true, open: true, expectedResponse: "within 1 business day" });
  });

  it("gives the next opening when closed: later today, tomorrow, or after a closed day", () => {
    // Friday 06:00 in LA → opens 08:00 the same day.
    expect(availabilityAt(hours, new Date("2026-11-20T14:00:00Z")).nextOpening).toEqual({ weekday: "friday", time: "08:00" });
    // Saturday 16:00 in LA → Sunday closed → Monday 08:00.
    expect(availabilityAt(hours, new Date("2026-11-22T00:00:00Z")).nextOpening).toEqual({ weekday: "monday", time: "08:00" });
    // Friday 19:00 in LA → Saturday 09:00.
    expect(availabilityAt(hours, new Date("2026-11-21T03:00:00Z")).nextOpening).toEqual({ weekday: "saturday", time: "09:00" });
  });

  it("promises nothing when no hours are configured, and survives a bad time zone", () => {
    expect(availabilityAt(parseBusinessHours({}), new Date())).toMatchObject({ configured: false, open: false });
    expect(availabilityAt(parseBusinessHours("nonsense"), new Date()).configured).toBe(false);
    const badZone = parseBusinessHours({ timezone: "Mars/Olympus_Mons", days: { friday: { open: "00:00", close: "23:59" } } });
    expect(availabilityAt(badZone, new Date("2026-11-20T12:00:00Z"), "UTC")).toMatchObject({ open: true, timeZone: "UTC" });
  });
});

describe("escalation rules", () => {
  const rules = parseEscalationRules({ keywords: ["chargeback", "lawyer"], frustrationThreshold: 0.7, maxFailedTurns: 2, orderValueThreshold: 250 });
  const calm = { text: "where is my order", askedForHuman: false, frustration: 0.1, failedTurns: 0 };

  it("escalates on request, keyword, frustration and repeated failure, in that order", () => {
    expect(decideEscalation(rules, calm)).toEqual({ escalate: false });
    expect(decideEscalation(rules, { ...calm, askedForHuman: true }).reason).toBe("requested");
    expect(decideEscalation(rules, { ...calm, text: "I'll call my LAWYER" }).reason).toBe("keyword");
    expect(decideEscalation(rules, { ...calm, frustration: 0.7 }).reason).toBe("frustration");
    expect(decideEscalation(rules, { ...calm, frustration: 0.69 }).escalate).toBe(false);
    expect(decideEscalation(rules, { ...calm, failedTurns: 2 }).reason).toBe("repeated_failure");
    expect(decideEscalation(rules, { ...calm, failedTurns: 1 }).escalate).toBe(false);
  });

  it("matches keywords on word boundaries only", () => {
    expect(decideEscalation(rules, { ...calm, text: "my lawyers said" }).escalate).toBe(false);
    expect(decideEscalation(rules, { ...calm, text: "a chargeback." }).reason).toBe("keyword");
  });

  it("falls back to defaults for missing or invalid values", () => {
    expect(parseEscalationRules({ frustrationThreshold: "high", keywords: "x" })).toEqual({ orderValueThreshold: null, keywords: [], frustrationThreshold: 0.75, maxFailedTurns: 2 });
    expect(parseEscalationRules(null).maxFailedTurns).toBe(2);
  });

  it("compares order values with the merchant's threshold", () => {
    expect(exceedsOrderValueThreshold(rules, 250)).toBe(false);
    expect(exceedsOrderValueThreshold(rules, 250.01)).toBe(true);
    expect(exceedsOrderValueThreshold(parseEscalationRules({}), 1_000_000)).toBe(false);
  });
});
