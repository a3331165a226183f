import { readFile } from "node:fs/promises";
import path from "node:path";
import { Liquid, Tag, type TagToken, type TopLevelToken, TypeGuards } from "liquidjs";

/**
 * Local stand-in for a Shopify Online Store 2.0 storefront page.
 *
 * It renders a minimal theme page and the Shopdesk app embed block
 * (`extensions/chat-bubble/blocks/chat-bubble.liquid`) with a real Liquid
 * engine, right before `</body>`, the way Shopify renders app embed blocks:
 * `block.settings` come from the block's own `{% schema %}` defaults, `| t`
 * reads the extension's locale files and `| asset_url` points at the
 * extension's assets (served by the caller under `assetBaseUrl`).
 */

export type ChatBubblePosition = "bottom-right" | "bottom-left";
export type ChatBubbleShowOn = "all" | "home" | "product" | "collection" | "cart" | "page";

/** Settings of the chat-bubble app embed block, keyed by the schema setting ids. */
export interface ChatBubbleSettings {
  position: ChatBubblePosition;
  accent_color: string;
  greeting: string;
  launcher_label: string;
  show_on: ChatBubbleShowOn;
  hide_on_mobile: boolean;
}

export interface DemoStorefrontCustomer {
  id: string;
  email: string;
  firstName?: string;
}

export interface RenderDemoStorefrontOptions {
  shopDomain: string;
  shopName: string;
  /** Storefront locale (`request.locale.iso_code`), e.g. "en", "fr", "pt-BR". Defaults to "en". */
  locale?: string;
  customer?: DemoStorefrontCustomer | null;
  /** URL prefix the extension's assets are served under, e.g. "/demo/extension-assets". */
  assetBaseUrl: string;
  blockSettings?: Partial<ChatBubbleSettings>;
  /** Shopify `request.page_type` of the imitated page. Defaults to "index" (home page). */
  pageType?: string;
  /** false renders the page without the app embed block (the baseline for measuring the embed's cost). Defaults to true. */
  embed?: boolean;
  /** The store's catalogue to show (the demo passes the seeded products); none shows an empty collection. */
  products?: DemoStorefrontProduct[];
}

export interface DemoStorefrontProduct {
  title: string;
  /** Formatted for display, e.g. "$149.00" or "from $24.00". */
  price: string;
}

/** Demo-only query flag: `?embed=0` asks for the storefront page without the app embed. */
export function wantsAppEmbed(searchParams: URLSearchParams): boolean {
  return searchParams.get("embed") !== "0";
}

const EXTENSION_DIR = ["extensions", "chat-bubble"] as const;
const BLOCK_FILE = "blocks/chat-bubble.liquid";
const DEFAULT_LOCALE_FILE = "en.default";
const DEMO_BLOCK_ID = "demo-shopdesk-chat-bubble";
const ASSET_NAME = /^[a-z0-9._-]+$/i;
const LOCALE_CODE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;
const COLOR_VALUE = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};

function extensionRoot(): string {
  return path.join(process.cwd(), ...EXTENSION_DIR);
}

// ---------------------------------------------------------------------------
// File access (cached in production only, so edits show up on reload in dev)
// ---------------------------------------------------------------------------

const fileCache = new Map<string, Promise<string | null>>();

function readExtensionFile(relativePath: string): Promise<string | null> {
  const absolute = path.join(extensionRoot(), relativePath);
  const load = () => readFile(absolute, "utf8").catch(() => null);
  if (process.env.NODE_ENV !== "production") return load();
  let cached = fileCache.get(absolute);
  if (!cached) {
    cached = load();
    fileCache.set(absolute, cached);
  }
  return cached;
}

/**
 * A file from `extensions/chat-bubble/assets/` (for a local route that plays
 * the part of Shopify's CDN). Only plain file names are accepted; anything
 * that could traverse directories returns null.
 */
export async function readExtensionAsset(file: string): Promise<{ body: string; contentType: string } | null> {
  if (typeof file !== "string" || !ASSET_NAME.test(file) || file.startsWith(".")) return null;
  const assetsDir = path.join(extensionRoot(), "assets");
  const absolute = path.join(assetsDir, file);
  if (path.dirname(absolute) !== assetsDir) return null;
  const body = await readExtensionFile(path.join("assets", file));
  if (body === null) return null;
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
  return { body, contentType };
}

// ---------------------------------------------------------------------------
// Block schema and settings
// ---------------------------------------------------------------------------

interface SchemaSetting {
  type?: string;
  id?: string;
  default?: unknown;
  options?: { value?: unknown }[];
}

const SCHEMA_BLOCK = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;

function schemaSettings(source: string): SchemaSetting[] {
  const match = SCHEMA_BLOCK.exec(source);
  if (!match?.[1]) return [];
  try {
    const schema = JSON.parse(match[1]) as { settings?: unknown };
    return Array.isArray(schema.settings) ? (schema.settings as SchemaSetting[]) : [];
  } catch {
    return [];
  }
}

/**
 * `block.settings` as Shopify would expose them: schema defaults (nil when a
 * setting has none), overridden by valid values from `overrides`.
 */
function resolveBlockSettings(source: string, overrides: Partial<ChatBubbleSettings> = {}): Record<string, unknown> {
  const given = overrides as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  for (const setting of schemaSettings(source)) {
    if (!setting.id) continue;
    const fallback = setting.default ?? (setting.type === "checkbox" ? false : null);
    const value = given[setting.id];
    settings[setting.id] = value === undefined ? fallback : coerceSetting(setting, value, fallback);
  }
  return settings;
}

function coerceSetting(setting: SchemaSetting, value: unknown, fallback: unknown): unknown {
  switch (setting.type) {
    case "checkbox":
      return value === true;
    case "color":
      return typeof value === "string" && COLOR_VALUE.test(value) ? value : fallback;
    case "select":
    case "radio":
      return setting.options?.some((option) => option.value === value) ? value : fallback;
    default:
      return value === null ? null : String(value);
  }
}

// ---------------------------------------------------------------------------
// Translations (`| t`)
// ---------------------------------------------------------------------------

type Translations = Record<string, unknown>;

async function readLocale(name: string): Promise<Translations | null> {
  const raw = await readExtensionFile(path.join("locales", `${name}.json`));
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" ? (parsed as Translations) : null;
  } catch {
    return null;
  }
}

/** The requested locale's strings (or its base language's), then the default locale's. */
async function loadTranslations(locale: string): Promise<Translations[]> {
  const candidates = [locale];
  const base = locale.split("-")[0];
  if (base && base !== locale) candidates.push(base);
  const tables: Translations[] = [];
  for (const candidate of candidates) {
    const table = await readLocale(candidate);
    if (table) {
      tables.push(table);
      break;
    }
  }
  const fallback = await readLocale(DEFAULT_LOCALE_FILE);
  if (fallback) tables.push(fallback);
  return tables;
}

function lookup(table: Translations, key: string): string | undefined {
  let node: unknown = table;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

function interpolate(template: string, variables: Map<string, unknown>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) =>
    variables.has(name) ? escapeHtml(variables.get(name)) : whole,
  );
}

// ---------------------------------------------------------------------------
// HTML helpers
// ---------------------------------------------------------------------------

function toText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return String(value);
}

function escapeHtml(value: unknown): string {
  return toText(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// ---------------------------------------------------------------------------
// Liquid engine
// ---------------------------------------------------------------------------

/**
 * `{% schema %}`, `{% javascript %}` and `{% stylesheet %}` are read by Shopify
 * at deploy time and render nothing in place: swallow everything up to the end tag.
 */
class RendersNothingTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    const endName = `end${token.name}`;
    while (remainTokens.length > 0) {
      const next = remainTokens.shift();
      if (next && TypeGuards.isTagToken(next) && next.name === endName) return;
    }
    throw new Error(`tag ${token.getText()} not closed`);
  }

  render(): string {
    return "";
  }
}

interface EngineOptions {
  assetBaseUrl: string;
  translations: Translations[];
  locale: string;
}

function createEngine({ assetBaseUrl, translations, locale }: EngineOptions): Liquid {
  const engine = new Liquid({ strictFilters: true, strictVariables: false, ownPropertyOnly: true });
  const base = assetBaseUrl.replace(/\/+$/, "");

  for (const name of ["schema", "javascript", "stylesheet"]) engine.registerTag(name, RendersNothingTag);

  engine.registerFilter("asset_url", (file: unknown) => `${base}/${encodeURIComponent(toText(file))}`);
  engine.registerFilter(
    "script_tag",
    (url: unknown) => `<script src="${escapeHtml(url)}" type="text/javascript"></script>`,
  );
  engine.registerFilter(
    "stylesheet_tag",
    (url: unknown) => `<link href="${escapeHtml(url)}" rel="stylesheet" type="text/css" media="all" />`,
  );
  engine.registerFilter("escape", (value: unknown) => escapeHtml(value));
  engine.registerFilter("t", (key: unknown, ...args: unknown[]) => {
    const name = toText(key);
    const variables = new Map<string, unknown>();
    for (const arg of args) {
      // liquidjs passes keyword arguments (`| t: count: 3`) as [name, value] pairs.
      if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string") variables.set(arg[0], arg[1]);
    }
    let found: string | undefined;
    for (const table of translations) {
      found = lookup(table, name);
      if (found !== undefined) break;
    }
    if (found === undefined) return `translation missing: ${escapeHtml(locale)}.${escapeHtml(name)}`;
    // Like Shopify: translations are HTML-escaped unless the key ends in `_html`.
    // Interpolated values are always escaped.
    const isHtml = /(?:^|[._])html$/.test(name);
    return interpolate(isHtml ? found : escapeHtml(found), variables);
  });

  return engine;
}

// ---------------------------------------------------------------------------
// Page
// ---------------------------------------------------------------------------

/** Shopify's Liquid `customer.id` is the numeric id, not the Admin API GID. */
function liquidCustomerId(id: string): string | number {
  const numeric = /(?:^|\/)(\d+)$/.exec(id)?.[1];
  return numeric ? Number(numeric) : id;
}

/** Render the block as Shopify renders an app embed: inside a shopify-block wrapper. */
export async function renderChatBubbleBlock(options: RenderDemoStorefrontOptions): Promise<string> {
  const source = await readExtensionFile(BLOCK_FILE);
  if (source === null) throw new Error(`Shopdesk theme extension block not found: ${path.join(...EXTENSION_DIR, BLOCK_FILE)}`);

  const locale = normalizeLocale(options.locale);
  const engine = createEngine({
    assetBaseUrl: options.assetBaseUrl,
    translations: await loadTranslations(locale),
    locale,
  });
  const customer = options.customer
    ? {
        id: liquidCustomerId(options.customer.id),
        email: options.customer.email,
        first_name: options.customer.firstName ?? null,
        name: options.customer.firstName ?? null,
      }
    : null;

  const html: string = await engine.parseAndRender(source, {
    block: {
      id: DEMO_BLOCK_ID,
      type: "shopify://apps/shopdesk/blocks/chat-bubble",
      settings: resolveBlockSettings(source, options.blockSettings),
    },
    shop: {
      permanent_domain: options.shopDomain,
      name: options.shopName,
      domain: options.shopDomain,
    },
    request: {
      locale: { iso_code: locale },
      page_type: options.pageType ?? "index",
      design_mode: false,
      path: "/",
    },
    customer,
  });

  return `<div id="shopify-block-${DEMO_BLOCK_ID}" class="shopify-block shopify-app-block">${html.trim()}</div>`;
}

function normalizeLocale(locale: string | undefined): string {
  return locale && LOCALE_CODE.test(locale) ? locale : "en";
}

const PAGE_CSS = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#121212;background:#fff;line-height:1.5}
a{color:inherit}
.skip-to-content-link{position:absolute;left:-9999px;top:1rem;padding:.5rem 1rem;background:#fff;z-index:10}
.skip-to-content-link:focus{left:1rem}
.header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem;padding:1.25rem 2rem;border-bottom:1px solid #e8e8e8}
.header__heading{margin:0;font-size:1.5rem}
.header__heading a{text-decoration:none}
.header__nav{display:flex;gap:1.25rem;font-size:.95rem}
.header__account{font-size:.9rem;color:#555}
.hero{padding:5rem 2rem;text-align:center;background:#f3f3f3}
.hero h2{margin:0 0 .5rem;font-size:2.25rem}
.hero p{margin:0 auto 1.5rem;max-width:36rem;color:#555}
.button{display:inline-block;padding:.75rem 1.75rem;background:#121212;color:#fff;text-decoration:none;border-radius:4px}
.collection{padding:3rem 2rem;max-width:72rem;margin:0 auto}
.collection h2{margin:0 0 1.5rem;font-size:1.5rem}
.product-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(13rem,100%),1fr));gap:1.5rem;margin:0;padding:0;list-style:none}
.card__media{aspect-ratio:1;background:#e9e9e9;border-radius:4px;display:flex;align-items:center;justify-content:center;color:#aaa}
.card__title{margin:.75rem 0 .25rem;font-size:1rem;font-weight:500}
.card__price{margin:0;color:#555}
.card__title{overflow-wrap:anywhere}
.collection__empty{color:#555}
.footer{padding:2rem;border-top:1px solid #e8e8e8;text-align:center;font-size:.85rem;color:#666}
/* A phone (390 px): nothing wider than the screen, so the fixed chat launcher stays in view. */
@media (max-width:40rem){
.header{padding:1rem}
.header__heading{font-size:1.25rem}
.header__nav{gap:1rem}
.hero{padding:3rem 1rem}
.hero h2{font-size:1.75rem}
.collection{padding:2rem 1rem}
.product-grid{grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem}
.footer{padding:1.5rem 1rem 5.5rem}
}
`;


/**
 * A full HTML page imitating a simple Online Store 2.0 theme page, with the
 * Shopdesk chat app embed block rendered just before `</body>` (unless `embed` is false).
 */
export async function renderDemoStorefront(options: RenderDemoStorefrontOptions): Promise<string> {
  const locale = normalizeLocale(options.locale);
  const shopName = escapeHtml(options.shopName);
  const block = options.embed === false ? "" : await renderChatBubbleBlock({ ...options, locale });
  const account = options.customer
    ? `Hi, ${escapeHtml(options.customer.firstName || options.customer.email)}`
    : `<a href="/account/login">Log in</a>`;
  const products = (options.products ?? []).map(
    (product) => `
          <li class="card">
            <div class="card__media" aria-hidden="true">
              <svg width="48" height="48" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.5"><rect x="3" y="3" width="18" height="18" rx="2"/><circle cx="8.5" cy="8.5" r="1.5"/><path d="m21 15-5-5L5 21"/></svg>
            </div>
            <h3 class="card__title">${escapeHtml(product.title)}</h3>
            <p class="card__price">${escapeHtml(product.price)}</p>
          </li>`,
  ).join("");

  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width,initial-scale=1">
    <title>${shopName}</title>
    <meta name="shopify-shop" content="${escapeHtml(options.shopDomain)}">
    <style>${PAGE_CSS}</style>
  </head>
  <body class="template-index">
    <a class="skip-to-content-link" href="#MainContent">Skip to content</a>
    <header class="header">
      <h1 class="header__heading"><a href="/">${shopName}</a></h1>
      <nav class="header__nav" aria-label="Main">
        <a href="/">Home</a>
        <a href="/collections/all">Catalog</a>
        <a href="/pages/contact">Contact</a>
      </nav>
      <div class="header__account">${account}</div>
    </header>
    <main id="MainContent" class="content-for-layout" tabindex="-1">
      <section class="hero">
        <h2>Welcome to ${shopName}</h2>
        <p>This is a local demo storefront. The chat launcher in the corner is the Shopdesk app embed block.</p>
        <a class="button" href="/collections/all">Shop all</a>
      </section>
      <section class="collection">
        <h2>Featured products</h2>
        ${products ? `<ul class="product-grid" role="list">${products}
        </ul>` : `<p class="collection__empty">No products yet.</p>`}
      </section>
    </main>
    <footer class="footer">
      <p>&copy; ${new Date().getFullYear()} ${shopName}. Demo storefront rendered by Shopdesk.</p>
    </footer>
    ${block}
  </body>
</html>
`;
}
