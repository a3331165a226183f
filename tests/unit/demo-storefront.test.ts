import { describe, expect, it } from "vitest";
import { readExtensionAsset, renderDemoStorefront, wantsAppEmbed } from "../../app/modules/demo/storefront-page.server";

const base = {
  shopDomain: "shopdesk-demo.myshopify.com",
  shopName: "Shopdesk Demo",
  assetBaseUrl: "/demo/extension-assets",
};

function attribute(html: string, name: string): string | undefined {
  return new RegExp(`${name}="([^"]*)"`).exec(html)?.[1];
}

function launcherTag(html: string): string {
  const match = /<button\b[^>]*class="shopdesk-launcher"[^>]*>/.exec(html);
  expect(match).not.toBeNull();
  return match?.[0] ?? "";
}

describe("renderDemoStorefront", () => {
  it("renders a theme page with the chat app embed block before </body>", async () => {
    const html = await renderDemoStorefront(base);

    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<main id="MainContent"');
    expect(html).toContain('<div id="shopify-block-');
    expect(html).toMatch(/<div\s+id="shopdesk-chat-root"/);
    expect(attribute(html, "data-shopdesk-proxy-base")).toBe("/apps/shopdesk");
    expect(attribute(html, "data-shopdesk-shop")).toBe("shopdesk-demo.myshopify.com");
    expect(attribute(html, "data-shopdesk-locale")).toBe("en");
    expect(attribute(html, "data-shopdesk-accent")).toBe("#2c6ecb");
    expect(attribute(html, "data-shopdesk-position")).toBe("bottom-right");

    const launcher = launcherTag(html);
    expect(launcher).toContain('aria-expanded="false"');
    expect(attribute(launcher, "aria-label")).toBe("Chat with us");
    expect(html).toMatch(/<button\b[^>]*class="shopdesk-launcher"[\s\S]*?<svg[\s\S]*?<\/svg>\s*<\/button>/);

    // The block is the last thing in <body>, and the schema JSON is not rendered.
    expect(html.lastIndexOf("shopdesk-chat-root")).toBeLessThan(html.indexOf("</body>"));
    expect(html.indexOf("</main>")).toBeLessThan(html.indexOf("shopdesk-chat-root"));
    expect(html).not.toContain('"target": "body"');
    expect(html).not.toContain("translation missing");
  });

  it("loads the loader script and stylesheet from assetBaseUrl", async () => {
    const html = await renderDemoStorefront({ ...base, assetBaseUrl: "https://cdn.example.test/assets/" });

    expect(html).toContain('<script src="https://cdn.example.test/assets/shopdesk-loader.js" defer></script>');
    expect(html).toContain('<link href="https://cdn.example.test/assets/shopdesk-chat.css" rel="stylesheet"');
  });

  it("uses the extension's French strings for locale fr", async () => {
    const html = await renderDemoStorefront({ ...base, locale: "fr" });

    expect(html).toContain('<html lang="fr">');
    expect(attribute(html, "data-shopdesk-locale")).toBe("fr");
    expect(attribute(launcherTag(html), "aria-label")).toBe("Discuter avec nous");
    expect(attribute(html, "data-shopdesk-launcher-label")).toBe("Discuter avec nous");
  });

  it("falls back to the default locale for a locale the extension does not ship", async () => {
    const html = await renderDemoStorefront({ ...base, locale: "ja" });
    expect(attribute(launcherTag(html), "aria-label")).toBe("Chat with us");
  });

  it("puts a logged-in customer's id in the data attribute and leaves it empty for anonymous shoppers", async () => {
    const loggedIn = await renderDemoStorefront({
      ...base,
      customer: { id: "gid://shopify/Customer/7421", email: "ada@example.com", firstName: "Ada" },
    });
    expect(attribute(loggedIn, "data-shopdesk-customer-id")).toBe("7421");

    const anonymous = await renderDemoStorefront({ ...base, customer: null });
    expect(attribute(anonymous, "data-shopdesk-customer-id")).toBe("");
  });

  it("applies block settings over the schema defaults and escapes merchant text", async () => {
    const html = await renderDemoStorefront({
      ...base,
      blockSettings: {
        position: "bottom-left",
        accent_color: "#ff0066",
        launcher_label: 'Ask "us" <anything>',
        hide_on_mobile: true,
      },
    });

    expect(attribute(html, "data-shopdesk-position")).toBe("bottom-left");
    expect(html).toContain("shopdesk-chat--left");
    expect(html).toContain("shopdesk-chat--hide-mobile");
    expect(attribute(html, "data-shopdesk-accent")).toBe("#ff0066");
    expect(attribute(launcherTag(html), "aria-label")).toBe("Ask &quot;us&quot; &lt;anything&gt;");
  });

  it("rejects invalid setting values and hides the block on pages it is not enabled for", async () => {
    const invalid = await renderDemoStorefront({
      ...base,
      blockSettings: { accent_color: "red; background: url(x)", position: "top" as never },
    });
    expect(attribute(invalid, "data-shopdesk-accent")).toBe("#2c6ecb");
    expect(attribute(invalid, "data-shopdesk-position")).toBe("bottom-right");

    const productOnly = await renderDemoStorefront({ ...base, blockSettings: { show_on: "product" } });
    expect(productOnly).not.toContain("shopdesk-chat-root");
    const onProduct = await renderDemoStorefront({ ...base, pageType: "product", blockSettings: { show_on: "product" } });
    expect(onProduct).toContain("shopdesk-chat-root");
  });

  it("renders the page without the app embed for ?embed=0 (the storefront-impact baseline) and with it by default", async () => {
    expect(wantsAppEmbed(new URLSearchParams("embed=0"))).toBe(false);
    expect(wantsAppEmbed(new URLSearchParams(""))).toBe(true);
    expect(wantsAppEmbed(new URLSearchParams("embed=1"))).toBe(true);

    const without = await renderDemoStorefront({ ...base, embed: wantsAppEmbed(new URLSearchParams("embed=0")) });
    expect(without).toContain('<main id="MainContent"');
    expect(without).not.toContain('id="shopdesk-chat-root"');
    expect(without).not.toContain("shopdesk-loader.js");
    expect(without).not.toContain("shopdesk-chat.css");

    const byDefault = await renderDemoStorefront({ ...base, embed: wantsAppEmbed(new URLSearchParams("")) });
    expect(byDefault).toMatch(/<div\s+id="shopdesk-chat-root"/);
    expect(await renderDemoStorefront(base)).toMatch(/<div\s+id="shopdesk-chat-root"/);
  });

  it("shows the catalogue it is given, escaped, and says so when there is none", async () => {
    const html = await renderDemoStorefront({ ...base, products: [{ title: "Rain <Shell>", price: "From $149.00" }, { title: "Trail Mug", price: "$18.00" }] });
    const titles = [...html.matchAll(/<h3 class="card__title">([^<]*)<\/h3>/g)].map((match) => match[1]);
    expect(titles).toEqual(["Rain &lt;Shell&gt;", "Trail Mug"]);
    expect(html).toContain('<p class="card__price">From $149.00</p>');
    expect(html).not.toContain("No products yet.");

    const empty = await renderDemoStorefront(base);
    expect(empty).not.toContain('class="card__title"');
    expect(empty).toContain("No products yet.");
  });

  it("escapes HTML in the shop name", async () => {
    const html = await renderDemoStorefront({ ...base, shopName: '<script>alert("x")</script> & Co' });

    expect(html).not.toContain('<script>alert("x")</script>');
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co");
  });
});

describe("readExtensionAsset", () => {
  it("serves the loader script and stylesheet with their content types", async () => {
    const loader = await readExtensionAsset("shopdesk-loader.js");
    expect(loader?.contentType).toMatch(/javascript/);
    expect(loader?.body).toContain("shopdesk-chat-root");

    const css = await readExtensionAsset("shopdesk-chat.css");
    expect(css?.contentType).toMatch(/^text\/css/);
  });

  it("rejects path traversal and unknown files", async () => {
    expect(await readExtensionAsset("../package.json")).toBeNull();
    expect(await readExtensionAsset("..")).toBeNull();
    expect(await readExtensionAsset("%2e%2e%2fpackage.json")).toBeNull();
    expect(await readExtensionAsset("/etc/passwd")).toBeNull();
    expect(await readExtensionAsset("missing.js")).toBeNull();
  });
});
