/* Shopdesk chat loader (foundation): wires the launcher to a placeholder panel. ES2019, no deps. */
(() => {
  const root = document.getElementById("shopdesk-chat-root");
  if (!root || root.getAttribute("data-shopdesk-ready")) return;
  const btn = root.querySelector(".shopdesk-launcher");
  if (!btn) return;
  root.setAttribute("data-shopdesk-ready", "true");

  const data = root.dataset;
  let base = data.shopdeskProxyBase || "/apps/shopdesk";
  // Same-origin only: a root-relative path, never a protocol-relative or absolute URL.
  if (base.charAt(0) !== "/" || base.charAt(1) === "/") base = "/apps/shopdesk";
  let panel;
  let title;
  let body;
  let requested = false;

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    node.className = cls;
    if (text) node.textContent = text;
    return node;
  };

  const build = () => {
    panel = el("div", "shopdesk-panel");
    panel.id = "shopdesk-panel";
    panel.hidden = true;
    panel.tabIndex = -1;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", data.shopdeskPanelLabel || "Chat");
    title = el("h2", "shopdesk-panel__title", data.shopdeskGreeting);
    body = el("p", "shopdesk-panel__body", data.shopdeskPlaceholder);
    body.setAttribute("aria-live", "polite");
    const close = el("button", "shopdesk-panel__close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", data.shopdeskCloseLabel || "Close");
    close.addEventListener("click", () => toggle(false));
    panel.append(title, body, close);
    root.appendChild(panel);
    btn.setAttribute("aria-controls", panel.id);
  };

  const fetchConfig = () => {
    if (requested || typeof fetch !== "function") return;
    requested = true;
    fetch(`${base}/widget-config`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.json();
      })
      .then((config) => {
        if (config && typeof config.greeting === "string" && config.greeting) title.textContent = config.greeting;
      })
      .catch(() => {
        if (data.shopdeskError) body.textContent = data.shopdeskError;
      });
  };

  const toggle = (open) => {
    if (!panel) build();
    panel.hidden = !open;
    btn.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      panel.focus();
      fetchConfig();
    } else {
      btn.focus();
    }
  };

  btn.addEventListener("click", () => toggle(!panel || panel.hidden));

  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && panel && !panel.hidden) {
      event.stopPropagation();
      toggle(false);
    }
  });
})();
