import { parseStrings, type Strings } from "./strings";

/** What the block tells the widget (data attributes and the strings JSON on #shopdesk-chat-root). */
export interface WidgetConfig {
  shop: string;
  /** The storefront's locale (`request.locale.iso_code`): the language of the panel, the greeting and the replies. */
  locale: string;
  base: string;
  /** Shown until the server's greeting (in the shopper's language) arrives. */
  greeting: string;
  /** The merchant typed the greeting in the theme editor: it wins over the app's greeting. */
  greetingCustom: boolean;
  accent: string;
  side: "left" | "right";
  strings: Strings;
}

export function readConfig(root: HTMLElement): WidgetConfig {
  const data = root.dataset;
  const stringsEl = root.querySelector<HTMLScriptElement>("script[data-shopdesk-strings]") ?? document.getElementById("shopdesk-chat-strings");
  const strings = parseStrings(stringsEl?.textContent);
  return {
    shop: data.shopdeskShop || location.hostname,
    locale: data.shopdeskLocale || document.documentElement.lang || "en",
    base: data.shopdeskProxyBase || "/apps/shopdesk",
    greeting: data.shopdeskGreeting || strings.greeting,
    greetingCustom: data.shopdeskGreetingCustom === "true",
    accent: data.shopdeskAccent || "",
    side: data.shopdeskPosition === "bottom-left" || root.classList.contains("shopdesk-chat--left") ? "left" : "right",
    strings,
  };
}
