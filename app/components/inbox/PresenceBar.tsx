import { Badge, InlineStack, Text } from "@shopify/polaris";
import type { LivePresence } from "./LiveProvider";

/** Who else is here: colleagues viewing or typing (collision detection) and the shopper typing. */
export function PresenceBar({ people }: { people: LivePresence[] }) {
  const staff = people.filter((person) => person.kind === "staff");
  const shopperTyping = people.some((person) => person.kind === "shopper" && person.typing);
  const typingColleagues = staff.filter((person) => person.typing);
  return (
    <div aria-live="polite" aria-atomic="true" className="inbox-pane-header">
      {staff.length === 0 && !shopperTyping ? (
        <span className="visually-hidden">Nobody else is viewing this conversation.</span>
      ) : (
        <InlineStack gap="200" blockAlign="center">
          {staff.map((person) => (
            <Badge key={person.key} tone={person.typing ? "attention" : "info"}>
              {person.typing ? `${person.name} is typing a reply` : `${person.name} is viewing`}
            </Badge>
          ))}
          {typingColleagues.length > 0 ? (
            <Text as="span" variant="bodySm" tone="caution">
              Someone else is answering — check before you send.
            </Text>
          ) : null}
          {shopperTyping ? <span className="inbox-typing">The shopper is typing…</span> : null}
        </InlineStack>
      )}
    </div>
  );
}
