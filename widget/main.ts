/**
 * Entry of extensions/chat-bubble/assets/shopdesk-widget.js (built by scripts/build-widget.ts). The loader
 * (assets/shopdesk-loader.js) injects this script on the shopper's first click on the launcher, or on idle for
 * a returning shopper, then calls `window.ShopdeskWidget.mount(root, { openNow })`.
 */
import { mountWidget, type MountOptions, type WidgetController } from "./app";

export interface ShopdeskWidgetApi {
  readonly version: string;
  /** Builds the panel inside `root` (#shopdesk-chat-root) once; later calls return the same controller. */
  mount(root: HTMLElement, options?: MountOptions): WidgetController;
}

declare global {
  interface Window {
    ShopdeskWidget?: ShopdeskWidgetApi;
  }
}

const mounted = new WeakMap<HTMLElement, WidgetController>();

if (!window.ShopdeskWidget) {
  window.ShopdeskWidget = {
    version: "1",
    mount(root, options = {}) {
      const existing = mounted.get(root);
      if (existing) {
        if (options.openNow) existing.open();
        return existing;
      }
      const controller = mountWidget(root, options);
      mounted.set(root, controller);
      return controller;
    },
  };
}
