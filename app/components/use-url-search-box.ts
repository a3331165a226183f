import { useEffect, useRef, useState } from "react";

/**
 * A list's search box bound to the URL's query: the URL follows 300 ms after the last keystroke and stays the
 * source of truth (the back button, a shared link). `clear` empties the box without a push of its own, for a
 * caller that clears the URL itself.
 */
export function useUrlSearchBox(urlQuery: string, push: (query: string | null) => void) {
  const [query, setQuery] = useState(urlQuery);
  const pushed = useRef(urlQuery);
  const latestPush = useRef(push);
  latestPush.current = push;
  useEffect(() => {
    if (urlQuery !== pushed.current) {
      pushed.current = urlQuery;
      setQuery(urlQuery);
    }
  }, [urlQuery]);
  useEffect(() => {
    const wanted = query.trim();
    if (wanted === pushed.current) return;
    const timer = setTimeout(() => {
      pushed.current = wanted;
      latestPush.current(wanted || null);
    }, 300);
    return () => clearTimeout(timer);
  }, [query]);
  const clear = () => {
    setQuery("");
    pushed.current = "";
  };
  return { query, setQuery, clear };
}
