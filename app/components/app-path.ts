/** In-app links inside the embedded admin. */

/** Parameters the embedded admin adds (shop, host…), kept on in-app URLs so a reload still works. */
const EMBEDDED_PARAMS = ["embedded", "shop", "host", "locale"];

export function appPath(path: string, currentSearch: string, extra: Record<string, string> = {}) {
  const from = new URLSearchParams(currentSearch);
  const to = new URLSearchParams();
  for (const key of EMBEDDED_PARAMS) {
    const value = from.get(key);
    if (value) to.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) to.set(key, value);
  const search = to.toString();
  return search ? `${path}?${search}` : path;
}
