import { useEffect, useState } from "react";

function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** A date in the viewer's time zone once hydrated; in UTC before that, so server and client markup match. */
export function FormattedDate({ iso, withTime }: { iso: string; withTime?: boolean }) {
  const hydrated = useHydrated();
  const text = new Intl.DateTimeFormat("en-US", {
    month: "short",
    day: "numeric",
    year: "numeric",
    ...(withTime ? { hour: "numeric", minute: "2-digit" } : {}),
    ...(hydrated ? {} : { timeZone: "UTC", timeZoneName: withTime ? "short" : undefined }),
  }).format(new Date(iso));
  return <time dateTime={iso}>{text}</time>;
}
