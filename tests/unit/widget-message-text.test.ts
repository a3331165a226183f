import { describe, expect, it } from "vitest";
import { bubbleText, citationTitles, linkParts, safeHttpUrl, type TextPart } from "../../widget/message-text";

const text = (parts: TextPart[]) => parts.map((part) => (typeof part === "string" ? part : part.text)).join("");
const links = (parts: TextPart[]) => parts.filter((part): part is { text: string; href: string } => typeof part !== "string");

describe("links in message text", () => {
  it("turns http(s) addresses into links, leaving sentence punctuation outside", () => {
    const body = "Track it here: https://www.ups.com/track?tracknum=1Z999AA10123456784. Or see http://help.example.com/returns!";
    const parts = linkParts(body);
    expect(text(parts)).toBe(body);
    expect(links(parts)).toEqual([
      { text: "https://www.ups.com/track?tracknum=1Z999AA10123456784", href: "https://www.ups.com/track?tracknum=1Z999AA10123456784" },
      { text: "http://help.example.com/returns", href: "http://help.example.com/returns" },
    ]);
    expect(parts[0]).toBe("Track it here: ");
  });

  it("keeps brackets the address opened and drops the ones around it", () => {
    const parts = linkParts("(see https://en.wikipedia.org/wiki/Parcel_(package)) and [https://a.example/x]");
    expect(links(parts).map((link) => link.text)).toEqual(["https://en.wikipedia.org/wiki/Parcel_(package)", "https://a.example/x"]);
    expect(text(parts)).toBe("(see https://en.wikipedia.org/wiki/Parcel_(package)) and [https://a.example/x]");
  });

  it("stops at French quotes and at the end of a line", () => {
    const parts = linkParts("Suivre le colis : «https://suivi.example.fr/colis/42»\nMerci");
    expect(links(parts)).toEqual([{ text: "https://suivi.example.fr/colis/42", href: "https://suivi.example.fr/colis/42" }]);
  });

  it("reads Markdown links, but only to http(s) addresses", () => {
    const parts = linkParts("See [our returns page](https://shop.example/pages/returns) or [this](javascript:alert(1)).");
    expect(links(parts)).toEqual([{ text: "our returns page", href: "https://shop.example/pages/returns" }]);
    expect(text(parts)).toBe("See our returns page or [this](javascript:alert(1)).");
  });

  it("never links other schemes, credentials tricks or addresses glued to a word, and leaves markup as text", () => {
    for (const body of ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://files.example/x", "xhttps://evil.example", "mailto:help@shop.example"]) {
      expect(links(linkParts(body)), body).toEqual([]);
      expect(text(linkParts(body))).toBe(body);
    }
    expect(links(linkParts("https://shop.example@evil.example/login"))).toEqual([]);
    const markup = linkParts('<img src=x onerror="alert(1)"> https://shop.example/"><script>');
    expect(links(markup)).toEqual([{ text: "https://shop.example/", href: "https://shop.example/" }]);
    expect(markup[0]).toBe('<img src=x onerror="alert(1)"> ');
    expect(safeHttpUrl("https://shop.example/a b")).toBe("https://shop.example/a%20b");
    expect(safeHttpUrl("javascript:alert(1)")).toBeNull();
    expect(safeHttpUrl("https://user:pw@shop.example/")).toBeNull();
    expect(safeHttpUrl("not a url")).toBeNull();
  });

  it("returns plain text as one piece", () => {
    expect(linkParts("No links here.")).toEqual(["No links here."]);
    expect(linkParts("")).toEqual([]);
  });
});

describe("sources: shown once, under the bubble", () => {
  const shipping = { sourceId: "s1", title: "Shipping rates and delivery times" };

  it("drops the trailing 'Source: …' line of a message that lists its sources (older stored replies)", () => {
    expect(bubbleText({ body: "Standard delivery takes 3 to 5 business days.\n\nSource: Shipping rates and delivery times", citations: [shipping] })).toBe(
      "Standard delivery takes 3 to 5 business days.",
    );
    expect(bubbleText({ body: "La livraison prend 3 à 5 jours.\n\nSource : Shipping rates and delivery times", citations: [shipping] })).toBe("La livraison prend 3 à 5 jours.");
    expect(bubbleText({ body: "Der Versand dauert 3 bis 5 Tage.\nQuelle: Versand\nQuelle: Rücksendungen\n", citations: [shipping] })).toBe("Der Versand dauert 3 bis 5 Tage.");
    expect(bubbleText({ body: "El envío tarda de 3 a 5 días.\n\nFuente: Envíos", citations: [shipping] })).toBe("El envío tarda de 3 a 5 días.");
  });

  it("keeps the text as it is without sources, and a 'Source:' that is not the last line", () => {
    const body = "Standard delivery takes 3 to 5 business days.\n\nSource: Shipping rates and delivery times";
    expect(bubbleText({ body })).toBe(body);
    expect(bubbleText({ body, citations: [] })).toBe(body);
    const middle = "Source: our warehouse in Leeds.\nParcels leave daily.";
    expect(bubbleText({ body: middle, citations: [shipping] })).toBe(middle);
    // A reply that is nothing but the line keeps it rather than showing an empty bubble.
    expect(bubbleText({ body: "Source: Shipping", citations: [shipping] })).toBe("Source: Shipping");
  });

  it("lists each source title once, ignoring malformed citations", () => {
    const citations = [shipping, { sourceId: "s2", title: "Shipping rates and delivery times" }, { sourceId: "s3", title: "  " }, { sourceId: "s4", title: "Returns" }] as { sourceId: string; title: string }[];
    expect(citationTitles({ citations })).toEqual(["Shipping rates and delivery times", "Returns"]);
    expect(citationTitles({ citations: undefined })).toEqual([]);
    expect(citationTitles({ citations: [null, { title: 3 }] as unknown as { sourceId: string; title: string }[] })).toEqual([]);
  });
});
