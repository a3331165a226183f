import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { renderChatBubbleBlock } from "../../app/modules/demo/storefront-page.server";
import { buildWidget, WIDGET_OUTFILE } from "../../scripts/build-widget";
import { STORAGE_PREFIX } from "../../widget/storage";
import { DEFAULT_STRINGS, parseStrings } from "../../widget/strings";

const EXTENSION = path.resolve("extensions/chat-bubble");
const LOADER = path.join(EXTENSION, "assets", "shopdesk-loader.js");
const LAUNCHER_CSS = path.join(EXTENSION, "assets", "shopdesk-chat.css");
const KB = 1024;

const gzipSize = (text: string) => gzipSync(text, { level: 9 }).length;

function localeStrings(file: string): Record<string, string> {
  return (JSON.parse(readFileSync(path.join(EXTENSION, "locales", file), "utf8")) as { chat: Record<string, string> }).chat;
}

describe("storefront widget bundle (extensions/chat-bubble/assets/shopdesk-widget.js)", () => {
  it("is up to date with widget/ (run `npm run build:widget` and commit the asset)", async () => {
    const fresh = await buildWidget();
    const committed = readFileSync(WIDGET_OUTFILE, "utf8");
    expect(committed === fresh, "shopdesk-widget.js is stale: run `npm run build:widget`").toBe(true);
    // One self-contained IIFE: no module syntax, no other files, no other origins.
    expect(fresh).not.toMatch(/\bimport\s*\(|\brequire\(|^\s*import\s|^\s*export\s/m);
    expect(fresh).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("stays within the size budgets (gzip): loader ≤ 10 KB, widget with its CSS ≤ 35 KB", async () => {
    const loader = readFileSync(LOADER, "utf8");
    const widget = readFileSync(WIDGET_OUTFILE, "utf8");
    expect(gzipSize(loader)).toBeLessThanOrEqual(10 * KB);
    // What every page pays before any click: the loader and the launcher's stylesheet.
    expect(gzipSize(loader) + gzipSize(readFileSync(LAUNCHER_CSS, "utf8"))).toBeLessThanOrEqual(10 * KB);
    expect(gzipSize(widget)).toBeLessThanOrEqual(35 * KB);
  });

  it("has a loader that reads the widget's storage key and loads the widget from the block's data attribute", () => {
    const loader = readFileSync(LOADER, "utf8");
    expect(loader).toContain(`\`${STORAGE_PREFIX}\${`);
    expect(loader).toContain("shopdeskWidgetSrc");
    expect(loader).toContain("ShopdeskWidget");
    expect(loader).not.toMatch(/\bfetch\(|XMLHttpRequest|https?:\/\//);
  });
});

describe("widget strings from the theme locales", () => {
  it("ships every widget string in every locale, English matching the widget's fallbacks", () => {
    const en = localeStrings("en.default.json");
    expect(Object.keys(en).sort()).toEqual(Object.keys(DEFAULT_STRINGS).sort());
    for (const [key, value] of Object.entries(DEFAULT_STRINGS)) {
      expect(en[key]?.replace(/\{\{\s*(\w+)\s*\}\}/g, "{$1}"), key).toBe(value);
    }
    for (const file of ["fr.json", "de.json", "es.json"]) {
      const table = localeStrings(file);
      expect(Object.keys(table).sort(), file).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) {
        const placeholders = (text: string) => (text.match(/\{\{\s*\w+\s*\}\}/g) ?? []).sort();
        expect(placeholders(table[key] ?? ""), `${file} ${key}`).toEqual(placeholders(en[key] ?? ""));
      }
    }
  });

  it.each(["en", "fr", "de", "es", "ja"])("renders the %s strings into the block for the widget", async (locale) => {
    const html = await renderChatBubbleBlock({ shopDomain: "shop.myshopify.com", shopName: "Shop", assetBaseUrl: "/assets", locale });
    expect(html).toContain('data-shopdesk-widget-src="/assets/shopdesk-widget.js"');
    const json = /<script type="application\/json" id="shopdesk-chat-strings"[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(json).toBeDefined();
    const raw = JSON.parse(json ?? "{}") as Record<string, string>;
    expect(Object.keys(raw).sort()).toEqual(Object.keys(DEFAULT_STRINGS).sort());
    expect(json).not.toContain("translation missing");
    const strings = parseStrings(json);
    const table = localeStrings(locale === "en" || locale === "ja" ? "en.default.json" : `${locale}.json`);
    // Placeholders arrive as {name} for the widget to fill in; HTML escapes from `t` are decoded.
    expect(strings.rate_limited).toBe(table.rate_limited?.replace(/\{\{\s*(\w+)\s*\}\}/g, "{$1}"));
    expect(strings.status_team).toBe(table.status_team);
    expect(strings.send).toBe(table.send);
  });

  it("marks a merchant's own greeting so it wins over the app's", async () => {
    const base = { shopDomain: "shop.myshopify.com", shopName: "Shop", assetBaseUrl: "/assets" };
    expect(await renderChatBubbleBlock(base)).toContain('data-shopdesk-greeting-custom="false"');
    const custom = await renderChatBubbleBlock({ ...base, blockSettings: { greeting: "Ahoy!" } });
    expect(custom).toContain('data-shopdesk-greeting-custom="true"');
    expect(custom).toContain('data-shopdesk-greeting="Ahoy!"');
  });
});
