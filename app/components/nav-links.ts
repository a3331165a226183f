/** The admin's sections, shared by App Bridge's NavMenu (inside Shopify) and the standalone demo chrome. */
export const NAV_LINKS = [
  { url: "/app", label: "Dashboard", exact: true },
  { url: "/app/inbox", label: "Inbox" },
  { url: "/app/knowledge", label: "Knowledge" },
  { url: "/app/settings", label: "Settings" },
  { url: "/app/integrations", label: "Integrations" },
] as const;
