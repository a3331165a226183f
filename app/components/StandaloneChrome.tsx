import { useLocation } from "@remix-run/react";
import { Frame, Navigation, Text, TopBar } from "@shopify/polaris";
import { ChartVerticalIcon, ChatIcon, BookIcon, SettingsIcon, AppsIcon } from "@shopify/polaris-icons";
import { type ReactNode, useCallback, useState } from "react";
import { NAV_LINKS } from "./nav-links";

const ICONS = [ChartVerticalIcon, ChatIcon, BookIcon, SettingsIcon, AppsIcon];

/**
 * Outside the Shopify admin there is no admin chrome (App Bridge's nav menu and title bar live in the
 * admin's frame), so the demo shows the app's own navigation with Polaris' Frame.
 */
export function StandaloneChrome({ shopName, children }: { shopName: string; children: ReactNode }) {
  const location = useLocation();
  const [mobileNavigationActive, setMobileNavigationActive] = useState(false);
  const toggleMobileNavigation = useCallback(() => setMobileNavigationActive((active) => !active), []);
  // Keep the embedded query (shop, host) so every page is reached the way the admin would load it.
  const withSearch = (url: string) => `${url}${location.search}`;

  const navigation = (
    <Navigation location={location.pathname}>
      <Navigation.Section
        title="Shopdesk"
        items={NAV_LINKS.map((link, index) => ({
          url: withSearch(link.url),
          label: link.label,
          icon: ICONS[index],
          exactMatch: "exact" in link ? link.exact : false,
          selected: "exact" in link ? location.pathname === link.url : location.pathname.startsWith(link.url),
        }))}
      />
    </Navigation>
  );

  const topBar = (
    <TopBar
      showNavigationToggle
      onNavigationToggle={toggleMobileNavigation}
      contextControl={
        <div style={{ padding: "0 16px", display: "flex", alignItems: "center", height: "100%", color: "#fff", whiteSpace: "nowrap" }}>
          <Text as="span" variant="headingMd" tone="inherit">
            Shopdesk · {shopName}
          </Text>
        </div>
      }
    />
  );

  return (
    <Frame
      navigation={navigation}
      topBar={topBar}
      showMobileNavigation={mobileNavigationActive}
      onNavigationDismiss={toggleMobileNavigation}
    >
      {children}
    </Frame>
  );
}
