import { useFetchers, useRevalidator } from "@remix-run/react";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { type LiveEnvelopeOnClient, type LiveStatus, useLiveStream, useThrottled } from "./live";

/** Someone in a conversation right now, as the live stream last told us. */
export interface LivePresence {
  key: string;
  kind: "staff" | "shopper" | "assistant";
  staffId?: string;
  name: string;
  viewing: boolean;
  typing: boolean;
  /** Client clock, for expiry. */
  seenAt: number;
}

/** Heartbeats come every ~10 s; a viewer silent for longer than this has gone (closed the tab, lost the network). */
const VIEWING_TTL_MS = 30_000;
/** A typing flag without a follow-up clears itself (a lost "stopped typing"). */
const TYPING_TTL_MS = 8_000;
const REVALIDATE_EVERY_MS = 1_000;

interface LiveContextValue {
  status: LiveStatus;
  /** What the stream said about people in the conversation (never me); viewing/typing are false once stale or left. */
  presenceIn: (conversationId: string) => LivePresence[];
  /** Bumps whenever a message or change lands in a conversation; the open conversation reacts to it (e.g. marks read). */
  changes: Record<string, number>;
}

const LiveContext = createContext<LiveContextValue>({ status: "connecting", presenceIn: () => [], changes: {} });

export function useInboxLive() {
  return useContext(LiveContext);
}

/**
 * Keeps the inbox live: one stream per open inbox, loaders revalidated (throttled) when conversations change,
 * and who is viewing or typing where.
 */
export function LiveProvider({ url, myStaffId, children }: { url: string; myStaffId: string; children: ReactNode }) {
  const revalidator = useRevalidator();
  // While a command is being submitted, its own revalidation will load everything after it commits. A reload
  // started now would read the state from before the commit and could land last, so it waits. And when a
  // command's reload has landed while an older reload is still out, that older one is replaced (the router
  // would otherwise apply whichever finishes last).
  const fetchers = useFetchers();
  const submitting = fetchers.some((fetcher) => fetcher.state === "submitting");
  const busy = fetchers.some((fetcher) => fetcher.state !== "idle");
  const deferred = useRef({ submitting, pending: false, busy });
  deferred.current.submitting = submitting;
  const router = useRef(revalidator);
  router.current = revalidator;
  const revalidate = useThrottled(() => {
    if (deferred.current.submitting) deferred.current.pending = true;
    else router.current.revalidate();
  }, REVALIDATE_EVERY_MS);
  useEffect(() => {
    if (submitting || !deferred.current.pending) return;
    deferred.current.pending = false;
    revalidate();
  }, [submitting, revalidate]);
  useEffect(() => {
    const wasBusy = deferred.current.busy;
    deferred.current.busy = busy;
    if (wasBusy && !busy && router.current.state === "loading") router.current.revalidate();
  }, [busy]);
  const [presence, setPresence] = useState<Record<string, Record<string, LivePresence>>>({});
  const [changes, setChanges] = useState<Record<string, number>>({});
  const [clock, setClock] = useState(() => Date.now());

  // Expiry needs time to pass even when nothing arrives.
  useEffect(() => {
    const timer = setInterval(() => setClock(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);

  const upsert = useCallback((conversationId: string, entry: LivePresence) => {
    setPresence((current) => ({ ...current, [conversationId]: { ...current[conversationId], [entry.key]: entry } }));
  }, []);

  const onEvent = useCallback(
    ({ event }: LiveEnvelopeOnClient) => {
      switch (event.type) {
        case "presence":
          if (event.staffId === myStaffId) return;
          upsert(event.conversationId, {
            key: `staff:${event.staffId}`,
            kind: "staff",
            staffId: event.staffId,
            name: event.name,
            viewing: event.viewing,
            typing: event.typing,
            seenAt: Date.now(),
          });
          return;
        case "typing":
          if (event.author === "staff") return; // staff typing comes as presence, with a name
          upsert(event.conversationId, {
            key: event.author,
            kind: event.author,
            name: event.author === "shopper" ? "Shopper" : "Assistant",
            viewing: false,
            typing: event.typing,
            seenAt: Date.now(),
          });
          return;
        case "message.created":
          // The message is the end of its author's typing.
          if (event.author === "shopper" || event.author === "assistant") {
            upsert(event.conversationId, { key: event.author, kind: event.author, name: "", viewing: false, typing: false, seenAt: Date.now() });
          }
          setChanges((current) => ({ ...current, [event.conversationId]: (current[event.conversationId] ?? 0) + 1 }));
          revalidate();
          return;
        case "conversation.created":
        case "conversation.updated":
        case "handoff":
          setChanges((current) => ({ ...current, [event.conversationId]: (current[event.conversationId] ?? 0) + 1 }));
          revalidate();
          return;
        case "read":
          revalidate();
          return;
      }
    },
    [myStaffId, upsert, revalidate],
  );

  // A fresh stream that could not replay the gap since the page loaded: reload once to be current.
  const onOpen = useCallback(
    (resumed: boolean) => {
      if (!resumed) revalidate();
    },
    [revalidate],
  );

  const status = useLiveStream(url, { onEvent, onOpen });

  const value = useMemo<LiveContextValue>(
    () => ({
      status,
      changes,
      presenceIn: (conversationId) =>
        Object.values(presence[conversationId] ?? {}).map((entry) => ({
          ...entry,
          typing: entry.typing && clock - entry.seenAt < TYPING_TTL_MS,
          viewing: entry.viewing && clock - entry.seenAt < VIEWING_TTL_MS,
        })),
    }),
    [status, changes, presence, clock],
  );

  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}
