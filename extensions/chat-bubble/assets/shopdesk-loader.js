/* Shopdesk chat loader: tiny, on every storefront page. Plain ES2019, no dependencies, no network of its own.
   The launcher is already in the page (Liquid). The widget (shopdesk-widget.js, data-shopdesk-widget-src) is
   fetched only when the shopper clicks the launcher, or once the page is idle for a returning shopper (a
   conversation token in localStorage), then window.ShopdeskWidget.mount(root, { openNow }) takes over. */
(() => {
  const root = document.getElementById("shopdesk-chat-root");
  if (!root || root.getAttribute("data-shopdesk-ready")) return;
  const btn = root.querySelector(".shopdesk-launcher");
  if (!btn) return;
  root.setAttribute("data-shopdesk-ready", "true");
  const data = root.dataset;

  // Launcher icon colour with the better WCAG contrast on the merchant's accent (white or near-black).
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(data.shopdeskAccent || "");
  if (hex) {
    const full = hex[1].length === 3 ? hex[1].replace(/./g, "$&$&") : hex[1];
    const lin = (i) => {
      const c = Number.parseInt(full.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const lum = 0.2126 * lin(0) + 0.7152 * lin(2) + 0.0722 * lin(4);
    // White wins while (1.05)/(L+0.05) >= (L+0.05)/(0.0056+0.05), i.e. L <= ~0.18 against #111.
    root.style.setProperty("--shopdesk-on-accent", 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.0556 ? "#ffffff" : "#111111");
  }

  let controller = null;
  let loading = false;
  let openNow = false;

  const mount = () => {
    const api = window.ShopdeskWidget;
    if (controller || !api || typeof api.mount !== "function") return;
    controller = api.mount(root, { openNow });
    btn.removeAttribute("aria-busy");
  };

  const load = () => {
    if (controller || loading) return;
    if (window.ShopdeskWidget) return mount();
    const src = data.shopdeskWidgetSrc;
    if (!src) return;
    loading = true;
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = () => {
      loading = false;
      mount();
    };
    script.onerror = () => {
      // Let the next click try again.
      loading = false;
      script.remove();
      btn.removeAttribute("aria-busy");
    };
    document.head.appendChild(script);
  };

  // Until the widget is mounted the loader owns the launcher; afterwards the widget handles its clicks.
  btn.addEventListener("click", () => {
    if (controller) return;
    openNow = true;
    btn.setAttribute("aria-busy", "true");
    load();
  });

  let token = null;
  try {
    token = window.localStorage.getItem(`shopdesk:v1:${(data.shopdeskShop || location.hostname).trim().toLowerCase()}`);
  } catch (_error) {
    // Storage blocked: treat as a new shopper.
  }
  if (token) {
    const whenIdle = () => {
      if (window.requestIdleCallback) window.requestIdleCallback(load, { timeout: 5000 });
      else setTimeout(load, 3000);
    };
    if (document.readyState === "complete") whenIdle();
    else window.addEventListener("load", whenIdle, { once: true });
  }
})();
