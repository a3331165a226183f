/** A tiny element builder: text is always set as text (never HTML), attributes as strings. */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const name of Object.keys(attrs)) {
      const value = attrs[name];
      if (value === null || value === undefined || value === false) continue;
      if (typeof value === "function") el.addEventListener(name.slice(2).toLowerCase(), value);
      else if (name === "class") el.className = String(value);
      else el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Visually hidden text for screen readers. */
export function vh(text: string): HTMLSpanElement {
  return h("span", { class: "vh" }, text);
}

export function show(el: HTMLElement, visible: boolean) {
  el.hidden = !visible;
}

/** Static, trusted SVG markup for icons (never data). */
export function icon(svg: string): HTMLSpanElement {
  const span = h("span", { class: "icon", "aria-hidden": "true" });
  span.innerHTML = svg;
  return span;
}

export const ICONS = {
  close: '<svg viewBox="0 0 24 24" width="20" height="20" focusable="false"><path fill="currentColor" d="M6.7 5.3 12 10.6l5.3-5.3a1 1 0 1 1 1.4 1.4L13.4 12l5.3 5.3a1 1 0 0 1-1.4 1.4L12 13.4l-5.3 5.3a1 1 0 0 1-1.4-1.4l5.3-5.3-5.3-5.3a1 1 0 0 1 1.4-1.4Z"/></svg>',
  send: '<svg viewBox="0 0 24 24" width="20" height="20" focusable="false"><path fill="currentColor" d="M3.4 20.4 21.3 12.8a.9.9 0 0 0 0-1.6L3.4 3.6a.9.9 0 0 0-1.2 1.1L4.5 11l8.5 1-8.5 1-2.3 6.3a.9.9 0 0 0 1.2 1.1Z"/></svg>',
} as const;
