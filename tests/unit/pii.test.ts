import { describe, expect, it } from "vitest";
import { isLuhnValid, maskEmail, maskPaymentCards, maskPii } from "~/modules/assistant/pii";

describe("maskEmail", () => {
  it.each([
    ["alice@example.com", "a***@example.com"],
    ["Bob.Smith+orders@mail.example.co.uk", "B***@mail.example.co.uk"],
    ["zoë.müller@exämple.de", "z***@exämple.de"],
  ])("masks %s as %s", (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it("masks every address in a text and keeps the rest", () => {
    expect(maskEmail("from alice@example.com to bob@example.net")).toBe("from a***@example.com to b***@example.net");
  });
});

describe("maskPii", () => {
  it.each([
    // Emails
    ["my email is alice@example.com", "my email is a***@example.com", "alice@example.com"],
    ["ANNA.K@Example.COM wrote", "A***@Example.COM wrote", "ANNA.K@Example.COM"],
    // Payment cards: spaced, dashed, plain, Amex
    ["card 4111 1111 1111 1111 was charged twice", "card •••• 1111 was charged twice", "4111 1111 1111 1111"],
    ["4242-4242-4242-4242", "•••• 4242", "4242-4242-4242-4242"],
    ["paid with 5555555555554444 yesterday", "paid with •••• 4444 yesterday", "5555555555554444"],
    ["amex 378282246310005", "amex •••• 0005", "378282246310005"],
    // Phone numbers
    ["call me on 503-555-0134", "call me on [phone]", "503-555-0134"],
    ["call me on (503) 555-0134", "call me on [phone]", "555-0134"],
    ["call me on +1 (503) 555-0134", "call me on [phone]", "555-0134"],
    ["or +1 503 555 0134", "or [phone]", "555 0134"],
    ["UK: +44 20 7946 0958", "UK: [phone]", "7946 0958"],
    ["Portable : 06 12 34 56 78", "Portable : [phone]", "34 56 78"],
    ["Handy +49 30 12345678", "Handy [phone]", "12345678"],
    // Street addresses
    ["ship it to 12 Alder Street, Portland", "ship it to [address], Portland", "12 Alder Street"],
    ["my address is 55 birch lane", "my address is [address]", "55 birch lane"],
    ["1600 Pennsylvania Ave NW", "[address] NW", "1600 Pennsylvania Ave"],
    ["livrer au 4 rue de la Paix, 75002 Paris", "livrer au [address], 75002 Paris", "rue de la Paix"],
    ["bitte an Hauptstraße 5 liefern", "bitte an [address] liefern", "Hauptstraße 5"],
    ["envíalo a Calle Mayor 12", "envíalo a [address]", "Calle Mayor 12"],
  ])("masks %j", (text, masked, secret) => {
    const out = maskPii(text);
    expect(out).toBe(masked);
    expect(out).not.toContain(secret);
  });

  it.each([
    "Where is order #1042?",
    "order 1042 and 1043",
    "It was $38.00, not $1,299.99 (plus $14.95 shipping)",
    "2 × $38.00 = $76.00 on order #1003",
    "Delivered on 2026-11-20 12:00",
    "delivered 03.11.2026",
    "Standard delivery takes 3 to 5 business days",
    "WELCOME10 takes 10% off",
    "Tracking 1Z999AA10123456784 with UPS",
    "I bought 2 Trail Tees and 1 Cascade Rain Jacket",
    "I wore it 3 times",
    "return within 30 days of delivery",
    "version 1.2.3",
    "zip 97209",
  ])("leaves %j unchanged", (text) => {
    expect(maskPii(text)).toBe(text);
  });

  it("masks several kinds in one message and keeps order numbers and prices", () => {
    const out = maskPii("Order #1001 ($38.00): I'm alice@example.com, card 4111 1111 1111 1111, phone 503-555-0134, 12 Alder Street.");
    expect(out).toBe("Order #1001 ($38.00): I'm a***@example.com, card •••• 1111, phone [phone], [address].");
  });
});

describe("maskPaymentCards", () => {
  it("removes Luhn-valid card numbers, whatever the spacing, leaving no digits of them", () => {
    expect(maskPaymentCards("card 4242 4242 4242 4242 please")).toEqual({ text: "card [card number removed] please", masked: true });
    expect(maskPaymentCards("5555-5555-5555-4444")).toEqual({ text: "[card number removed]", masked: true });
    expect(maskPaymentCards("my amex 378282246310005")).toEqual({ text: "my amex [card number removed]", masked: true });
  });

  it("removes a named security code and expiry next to a card, and a named code on its own", () => {
    expect(maskPaymentCards("4111 1111 1111 1111 exp 12/27 cvv 123").text).toBe("[card number removed] exp [removed] cvv [removed]");
    expect(maskPaymentCards("the CVC is 987")).toEqual({ text: "the CVC is [removed]", masked: true });
    expect(maskPaymentCards("Prüfnummer: 321").text).toBe("Prüfnummer: [removed]");
  });

  it("leaves order numbers, tracking numbers and other long numbers that fail the Luhn check alone", () => {
    for (const text of ["order #1042", "tracking 1Z999AA10123456786", "9400111291079890600726", "4242 4242 4242 4241", "call +1 503 555 0134"]) {
      expect(maskPaymentCards(text), text).toEqual({ text, masked: false });
    }
  });
});

describe("isLuhnValid", () => {
  it("checks the Luhn digit of 13–19 digit numbers only", () => {
    expect(isLuhnValid("4242424242424242")).toBe(true);
    expect(isLuhnValid("4242424242424241")).toBe(false);
    expect(isLuhnValid("79927398713")).toBe(false); // valid checksum, too short for a card
  });
});
