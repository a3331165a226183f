import { afterEach, describe, expect, it } from "vitest";
import { addBusinessMinutes, availabilityAt, compareInboxRows, DEFAULT_SLA_POLICY, parseBusinessHours, parseSlaPolicy, slaState } from "~/modules/routing";

const weekdays = (open: string, close: string, timezone?: string) =>
  parseBusinessHours({
    ...(timezone ? { timezone } : {}),
    days: {
      monday: { open, close },
      tuesday: { open, close },
      wednesday: { open, close },
      thursday: { open, close },
      friday: { open, close },
      saturday: null,
      sunday: null,
    },
  });

const NINE_TO_FIVE = weekdays("09:00", "17:00");
const at = (iso: string) => new Date(iso);
const add = (start: string, minutes: number, hours = NINE_TO_FIVE, zone = "America/New_York") => addBusinessMinutes(at(start), minutes, hours, zone).toISOString();

describe("addBusinessMinutes: 09:00–17:00 Monday to Friday in New York", () => {
  it("counts within the day, waits for the opening, and carries over the closing time", () => {
    // Tuesday 2026-11-17 10:00 EST = 15:00Z.
    expect(add("2026-11-17T15:00:00Z", 60)).toBe("2026-11-17T16:00:00.000Z");
    // Tuesday 07:00 local: nothing counts until 09:00.
    expect(add("2026-11-17T12:00:00Z", 30)).toBe("2026-11-17T14:30:00.000Z");
    // Tuesday 16:30 local + 60: 30 minutes today, 30 from Wednesday 09:00.
    expect(add("2026-11-17T21:30:00Z", 60)).toBe("2026-11-18T14:30:00.000Z");
    // Exactly to closing time stays on the day.
    expect(add("2026-11-17T21:30:00Z", 30)).toBe("2026-11-17T22:00:00.000Z");
    // After closing: tomorrow morning.
    expect(add("2026-11-18T01:00:00Z", 15)).toBe("2026-11-18T14:15:00.000Z");
  });

  it("skips the weekend", () => {
    // Friday 2026-11-20 16:00 local + 2 h: 1 h on Friday, 1 h on Monday.
    expect(add("2026-11-20T21:00:00Z", 120)).toBe("2026-11-23T15:00:00.000Z");
    // Written on Saturday: Monday 09:15.
    expect(add("2026-11-21T18:00:00Z", 15)).toBe("2026-11-23T14:15:00.000Z");
    // Three working days (24 business hours) from Friday 09:00: Friday, Monday, Tuesday until 17:00.
    expect(add("2026-11-20T14:00:00Z", 24 * 60)).toBe("2026-11-24T22:00:00.000Z");
  });

  it("keeps 09:00 local across both DST changes in America/New_York", () => {
    // Spring forward on Sunday 2026-03-08: Friday is EST (-5), Monday EDT (-4).
    expect(add("2026-03-06T21:00:00Z", 120)).toBe("2026-03-09T14:00:00.000Z");
    // Fall back on Sunday 2026-11-01: Friday is EDT, Monday EST.
    expect(add("2026-10-30T20:00:00Z", 120)).toBe("2026-11-02T15:00:00.000Z");
  });

  it("keeps 09:00 local across both DST changes in Europe/Berlin", () => {
    const berlin = (start: string, minutes: number) => add(start, minutes, NINE_TO_FIVE, "Europe/Berlin");
    // Spring forward on Sunday 2026-03-29: Friday 16:00 CET (+1) + 2 h → Monday 10:00 CEST (+2).
    expect(berlin("2026-03-27T15:00:00Z", 120)).toBe("2026-03-30T08:00:00.000Z");
    // Fall back on Sunday 2026-10-25: Friday 16:00 CEST + 2 h → Monday 10:00 CET.
    expect(berlin("2026-10-23T14:00:00Z", 120)).toBe("2026-10-26T09:00:00.000Z");
  });

  it("counts real minutes when the clocks change during opening hours", () => {
    const sundayNight = (timezone: string) => parseBusinessHours({ timezone, days: { sunday: { open: "00:00", close: "06:00" } } });
    // New York, 2026-03-08: 00:00–06:00 local is only 5 hours (02:00 → 03:00).
    const ny = sundayNight("America/New_York");
    expect(addBusinessMinutes(at("2026-03-08T05:00:00Z"), 300, ny).toISOString()).toBe("2026-03-08T10:00:00.000Z");
    // One minute more runs into the next Sunday, 00:01 EDT.
    expect(addBusinessMinutes(at("2026-03-08T05:00:00Z"), 301, ny).toISOString()).toBe("2026-03-15T04:01:00.000Z");
    // Berlin, 2026-10-25: 00:00–06:00 local is 7 hours (03:00 → 02:00).
    const berlin = sundayNight("Europe/Berlin");
    expect(addBusinessMinutes(at("2026-10-24T22:00:00Z"), 420, berlin).toISOString()).toBe("2026-10-25T05:00:00.000Z");
    expect(addBusinessMinutes(at("2026-10-24T22:00:00Z"), 360, berlin).toISOString()).toBe("2026-10-25T04:00:00.000Z");
    // Berlin, 2026-03-29: 5 hours.
    expect(addBusinessMinutes(at("2026-03-28T23:00:00Z"), 300, berlin).toISOString()).toBe("2026-03-29T04:00:00.000Z");
    // An opening at a time the clocks skip starts when they land (02:30 → 03:30 EDT); one at a time they
    // show twice starts at its first occurrence (01:30 EDT), so 01:30–03:00 lasts 2.5 hours that night.
    const skipped = parseBusinessHours({ timezone: "America/New_York", days: { sunday: { open: "02:30", close: "04:00" } } });
    expect(addBusinessMinutes(at("2026-03-07T12:00:00Z"), 10, skipped).toISOString()).toBe("2026-03-08T07:40:00.000Z");
    const repeated = parseBusinessHours({ timezone: "America/New_York", days: { sunday: { open: "01:30", close: "03:00" } } });
    expect(addBusinessMinutes(at("2026-10-31T12:00:00Z"), 0, repeated).toISOString()).toBe("2026-11-01T05:30:00.000Z");
    expect(addBusinessMinutes(at("2026-10-31T12:00:00Z"), 150, repeated).toISOString()).toBe("2026-11-01T08:00:00.000Z");
  });
});

describe("addBusinessMinutes: zones, overnight hours, no hours", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it("gives the same answer whatever the server's own time zone is", () => {
    const results = ["UTC", "Asia/Tokyo", "Pacific/Kiritimati", "America/Los_Angeles"].map((zone) => {
      process.env.TZ = zone;
      return [add("2026-11-20T21:00:00Z", 120), add("2026-03-06T21:00:00Z", 120)];
    });
    for (const result of results) expect(result).toEqual(["2026-11-23T15:00:00.000Z", "2026-03-09T14:00:00.000Z"]);
  });

  it("uses the hours' own time zone before the shop's, and the shop's when that one is unknown", () => {
    // 09:00 Berlin on Monday 2026-11-23 is 08:00Z; the shop's New York zone is ignored.
    expect(add("2026-11-21T12:00:00Z", 60, weekdays("09:00", "17:00", "Europe/Berlin"))).toBe("2026-11-23T09:00:00.000Z");
    expect(add("2026-11-21T12:00:00Z", 60, weekdays("09:00", "17:00", "Mars/Olympus_Mons"))).toBe("2026-11-23T15:00:00.000Z");
  });

  it("counts overnight hours that close after midnight, also when the wait starts after midnight", () => {
    const fridayNight = parseBusinessHours({ days: { friday: { open: "22:00", close: "02:00" } } });
    expect(add("2026-11-20T23:00:00Z", 120, fridayNight, "UTC")).toBe("2026-11-21T01:00:00.000Z");
    // 180 minutes fit into Friday night; the last hour is the next Friday.
    expect(add("2026-11-20T23:00:00Z", 240, fridayNight, "UTC")).toBe("2026-11-27T23:00:00.000Z");
    // Saturday 01:00 is still Friday's opening.
    expect(add("2026-11-21T01:00:00Z", 30, fridayNight, "UTC")).toBe("2026-11-21T01:30:00.000Z");
    expect(availabilityAt(fridayNight, at("2026-11-21T01:00:00Z"), "UTC")).toMatchObject({ open: true });
    expect(availabilityAt(fridayNight, at("2026-11-21T02:00:00Z"), "UTC")).toMatchObject({ open: false, nextOpening: { weekday: "friday", time: "22:00" } });
  });

  it("runs the plain clock when no hours are configured or none are ever open", () => {
    expect(add("2026-11-21T12:00:00Z", 90, parseBusinessHours({}))).toBe("2026-11-21T13:30:00.000Z");
    expect(add("2026-11-21T12:00:00Z", 90, parseBusinessHours({ days: { monday: null, sunday: null } }))).toBe("2026-11-21T13:30:00.000Z");
  });

  it("refuses a negative duration", () => {
    expect(() => addBusinessMinutes(at("2026-11-21T12:00:00Z"), -5, NINE_TO_FIVE, "UTC")).toThrow(RangeError);
  });
});

describe("SLA state and inbox order", () => {
  it("is due in business time and breached once the due time passes", () => {
    // Friday 16:00 New York, normal priority, first response (240 business minutes): 1 h on Friday and 3 h
    // on Monday, so due Monday 12:00 local.
    const dueAt = addBusinessMinutes(at("2026-11-20T21:00:00Z"), DEFAULT_SLA_POLICY.normal.firstResponseMinutes, NINE_TO_FIVE, "America/New_York");
    expect(dueAt.toISOString()).toBe("2026-11-23T17:00:00.000Z");
    // All weekend the shopper waits without a breach.
    expect(slaState(dueAt, at("2026-11-22T12:00:00Z"))).toEqual({ dueAt, breached: false, minutesLeft: 29 * 60 });
    expect(slaState(dueAt, at("2026-11-23T16:59:30Z"))).toMatchObject({ breached: false, minutesLeft: 0 });
    expect(slaState(dueAt, dueAt)).toMatchObject({ breached: true, minutesLeft: 0 });
    expect(slaState(dueAt, at("2026-11-23T17:01:00Z"))).toMatchObject({ breached: true, minutesLeft: -1 });
    expect(slaState(null, at("2026-11-23T17:01:00Z"))).toBeNull();
  });

  it("reads SLA targets with defaults for anything missing or wrong", () => {
    expect(parseSlaPolicy({})).toEqual(DEFAULT_SLA_POLICY);
    expect(parseSlaPolicy("nonsense")).toEqual(DEFAULT_SLA_POLICY);
    expect(DEFAULT_SLA_POLICY).toEqual({
      urgent: { firstResponseMinutes: 15, nextResponseMinutes: 30 },
      high: { firstResponseMinutes: 60, nextResponseMinutes: 120 },
      normal: { firstResponseMinutes: 240, nextResponseMinutes: 480 },
      low: { firstResponseMinutes: 1440, nextResponseMinutes: 1440 },
    });
    const policy = parseSlaPolicy({ urgent: { firstResponseMinutes: 5, nextResponseMinutes: -3 }, high: "fast", normal: { firstResponseMinutes: 10.5 }, low: { firstResponseMinutes: 10_000_000 } });
    expect(policy.urgent).toEqual({ firstResponseMinutes: 5, nextResponseMinutes: 30 });
    expect(policy.high).toEqual(DEFAULT_SLA_POLICY.high);
    expect(policy.normal).toEqual({ firstResponseMinutes: 240, nextResponseMinutes: 480 });
    expect(policy.low.firstResponseMinutes).toBe(1440);
  });

  it("lists breached first, then nearest due, nobody waiting last; then priority, then latest message", () => {
    const now = at("2026-11-23T12:00:00Z");
    const row = (id: string, slaDueAt: string | null, priority: "low" | "normal" | "high" | "urgent", lastMessageAt: string) => ({
      id,
      slaDueAt: slaDueAt ? at(slaDueAt) : null,
      priority,
      lastMessageAt: at(lastMessageAt),
    });
    const rows = [
      row("idle-urgent", null, "urgent", "2026-11-23T11:59:00Z"),
      row("due-later", "2026-11-23T15:00:00Z", "urgent", "2026-11-23T11:00:00Z"),
      row("breached", "2026-11-23T11:00:00Z", "low", "2026-11-23T09:00:00Z"),
      row("due-soon-normal", "2026-11-23T13:00:00Z", "normal", "2026-11-23T10:00:00Z"),
      row("due-soon-high", "2026-11-23T13:00:00Z", "high", "2026-11-23T09:00:00Z"),
      row("idle-low-new", null, "low", "2026-11-23T11:58:00Z"),
      row("idle-low-old", null, "low", "2026-11-23T08:00:00Z"),
    ];
    const sorted = [...rows].sort(compareInboxRows);
    expect(sorted.map((entry) => entry.id)).toEqual(["breached", "due-soon-high", "due-soon-normal", "due-later", "idle-urgent", "idle-low-new", "idle-low-old"]);
    expect(slaState(sorted[0]!.slaDueAt, now)?.breached).toBe(true);
  });
});
