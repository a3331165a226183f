import { describe, expect, it } from "vitest";
import { htmlToText } from "~/lib/text";

describe("htmlToText", () => {
  it("keeps paragraphs and list items as lines and decodes entities", () => {
    const html = "<p>Waxed cotton&nbsp;shell &amp; fleece lining.</p><ul><li>Machine wash cold</li><li>Don&#39;t tumble dry</li></ul>";
    expect(htmlToText(html)).toBe("Waxed cotton shell & fleece lining.\n- Machine wash cold\n- Don't tumble dry");
  });

  it("drops scripts and styles, and tags inside a sentence leave no stray spaces before punctuation", () => {
    const html = '<style>.x{color:red}</style><div>Fits <strong>true to size</strong> .</div><script>alert("x")</script>';
    expect(htmlToText(html)).toBe("Fits true to size.");
  });

  it("leaves plain text alone", () => {
    expect(htmlToText("Water-resistant to 10 m.")).toBe("Water-resistant to 10 m.");
  });
});
