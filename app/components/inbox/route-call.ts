import { useCallback, useEffect, useRef, useState } from "react";

/*
 * Calls to a route's action that change nothing on screen (presence heartbeats, read marks, drafts, macro
 * previews), made with plain fetch rather than a Remix fetcher. A fetcher's submission makes the router
 * revalidate, and a later one that opts out of revalidating aborts the earlier one's in-flight loads as
 * stale — so a heartbeat landing just after "resolve" could leave the list showing the old state.
 */

export const CONVERSATION_ROUTE_ID = "routes/app.inbox.$id";

/** POSTs form fields to a route's action as a Remix data request; answers the JSON and the status. */
export async function postToRoute<T>(url: string, routeId: string, fields: Record<string, string>, init: { keepalive?: boolean; signal?: AbortSignal } = {}) {
  const target = new URL(url, window.location.href);
  target.searchParams.set("_data", routeId);
  // Looked up on each call: App Bridge's fetch adds the session token.
  const response = await fetch(target, { method: "POST", body: new URLSearchParams(fields), credentials: "same-origin", ...init });
  const data = response.headers.get("Content-Type")?.includes("application/json") ? ((await response.json()) as T) : null;
  return { status: response.status, data };
}

/** `postToRoute` as component state, like a fetcher without the revalidation: state, the last answer, call(). */
export function useRouteCall<T>(url: string, routeId: string) {
  const [state, setState] = useState<"idle" | "submitting">("idle");
  const [data, setData] = useState<T | undefined>(undefined);
  const current = useRef<AbortController | null>(null);
  useEffect(() => () => current.current?.abort(), []);
  const call = useCallback(
    (fields: Record<string, string>) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      setState("submitting");
      postToRoute<T>(url, routeId, fields, { signal: controller.signal })
        .then(({ data: answer, status }) => {
          if (controller.signal.aborted) return;
          setData(answer ?? ({ error: { message: `The server answered ${status}. Try again.` } } as T));
          setState("idle");
        })
        .catch((error: Error) => {
          if (controller.signal.aborted) return;
          setData({ error: { message: `The request failed (${error.message}). Try again.` } } as T);
          setState("idle");
        });
    },
    [url, routeId],
  );
  return { state, data, call };
}
