import { requireDemoMode } from "~/modules/demo";

/**
 * Demo-only stand-in for App Bridge (whose script comes from Shopify's CDN, unreachable offline). Like App
 * Bridge, it gives `shopify.idToken()` and adds `Authorization: Bearer <session token>` to the app's own
 * fetches, so authenticate.admin verifies every data request. It hides <ui-nav-menu>, which the admin
 * would draw outside the iframe; the demo shows its own navigation.
 */
const SCRIPT = `(() => {
  const origin = window.location.origin;
  let cached = null;
  async function idToken() {
    if (cached && cached.expires > Date.now()) return cached.token;
    const response = await nativeFetch('/demo/session-token', { credentials: 'same-origin' });
    const { token } = await response.json();
    cached = { token, expires: Date.now() + 45000 };
    return token;
  }
  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url, origin);
    if (url.origin !== origin || url.pathname.startsWith('/demo/')) return nativeFetch(input, init);
    const request = new Request(input, init);
    request.headers.set('Authorization', 'Bearer ' + (await idToken()));
    return nativeFetch(request);
  };
  window.shopify = {
    idToken,
    config: { apiKey: document.currentScript && document.currentScript.dataset.apiKey },
    toast: { show(message) { console.info('[toast]', message); } },
    loading() {},
  };
  if (!customElements.get('ui-nav-menu')) {
    customElements.define('ui-nav-menu', class extends HTMLElement {
      connectedCallback() { this.hidden = true; }
    });
  }
})();`;

export async function loader() {
  requireDemoMode();
  return new Response(SCRIPT, { headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" } });
}
