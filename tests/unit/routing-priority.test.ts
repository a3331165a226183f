import { describe, expect, it } from "vitest";
import { computePriority, higherPriority, isVip, parseRoutingSettings } from "~/modules/routing";

describe("computePriority", () => {
  it("is normal for a plain request for a person, whatever the informational intent", () => {
    expect(computePriority({})).toBe("normal");
    expect(computePriority({ reason: "requested", intent: "delivery_options", frustration: 0.2 })).toBe("normal");
    expect(computePriority({ reason: "low_confidence", intent: "other" })).toBe("normal");
  });

  it("follows the escalation reason: keyword urgent, frustration and order value high", () => {
    expect(computePriority({ reason: "keyword" })).toBe("urgent");
    expect(computePriority({ reason: "frustration" })).toBe("high");
    expect(computePriority({ reason: "order_value" })).toBe("high");
    expect(computePriority({ reason: "policy" })).toBe("normal");
  });

  it("rises with frustration, to high (urgent is kept for the merchant's keywords and upset VIPs)", () => {
    expect(computePriority({ frustration: 0.59 })).toBe("normal");
    expect(computePriority({ frustration: 0.6 })).toBe("high");
    expect(computePriority({ frustration: 1, reason: "frustration" })).toBe("high");
  });

  it("is high above the order value threshold, and only when there is a threshold", () => {
    expect(computePriority({ orderValue: 300, orderValueThreshold: 250 })).toBe("high");
    expect(computePriority({ orderValue: 250, orderValueThreshold: 250 })).toBe("normal");
    expect(computePriority({ orderValue: 5000, orderValueThreshold: null })).toBe("normal");
  });

  it("is high for intents that cannot wait", () => {
    for (const intent of ["cancel_order", "change_order", "change_shipping_address", "payment_issue", "complaint"]) {
      expect(computePriority({ intent })).toBe("high");
    }
    expect(computePriority({ intent: "track_order" })).toBe("normal");
  });

  it("lifts a VIP one level (case-insensitive tag), never past urgent", () => {
    expect(computePriority({ customerTags: ["wholesale", "vip"], vipTag: "VIP" })).toBe("high");
    expect(computePriority({ customerTags: ["Gold"], vipTag: "gold", frustration: 0.7 })).toBe("urgent");
    expect(computePriority({ customerTags: ["VIP"], reason: "keyword" })).toBe("urgent");
    // The default VIP tag, and a customer without it.
    expect(computePriority({ customerTags: ["VIP"] })).toBe("high");
    expect(computePriority({ customerTags: ["VIP-candidate"], vipTag: "VIP" })).toBe("normal");
    expect(isVip([" vip "], "VIP")).toBe(true);
  });

  it("combines signals by taking the highest", () => {
    expect(computePriority({ reason: "requested", intent: "cancel_order", frustration: 0.9, orderValue: 10, orderValueThreshold: 250 })).toBe("high");
    expect(computePriority({ reason: "keyword", frustration: 0.1 })).toBe("urgent");
    expect(higherPriority("urgent", "normal")).toBe("urgent");
    expect(higherPriority("low", "high")).toBe("high");
  });
});

describe("parseRoutingSettings", () => {
  it("defaults to round robin, VIP, auto-assign", () => {
    expect(parseRoutingSettings({})).toEqual({ assignment: "round_robin", vipTag: "VIP", autoAssign: true });
    expect(parseRoutingSettings(null)).toEqual({ assignment: "round_robin", vipTag: "VIP", autoAssign: true });
    expect(parseRoutingSettings(["least_busy"])).toEqual({ assignment: "round_robin", vipTag: "VIP", autoAssign: true });
  });

  it("keeps good values and replaces bad ones one by one", () => {
    expect(parseRoutingSettings({ assignment: "least_busy", vipTag: " Gold ", autoAssign: false })).toEqual({ assignment: "least_busy", vipTag: "Gold", autoAssign: false });
    expect(parseRoutingSettings({ assignment: "random", vipTag: "", autoAssign: "yes", extra: 1 })).toEqual({ assignment: "round_robin", vipTag: "VIP", autoAssign: true });
    expect(parseRoutingSettings({ assignment: "manual" }).assignment).toBe("manual");
  });
});
