import { BlockStack, Modal, Text } from "@shopify/polaris";
import { useEffect, useRef } from "react";

/** The inbox's single-key shortcuts, shown by "?" (the same list drives the modal and the handlers' docs). */
export const SHORTCUTS = [
  { key: "j", description: "Next conversation (opens it)" },
  { key: "k", description: "Previous conversation (opens it)" },
  { key: "r", description: "Reply to the shopper" },
  { key: "n", description: "Write an internal note" },
  { key: "e", description: "Resolve the conversation" },
  { key: "a", description: "Assign the conversation" },
  { key: "?", description: "Show these shortcuts" },
] as const;

export type ShortcutKey = (typeof SHORTCUTS)[number]["key"];

/** True when a key press belongs to what the person is typing or to an open dialog, not to us. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest("input, textarea, select, [role='textbox'], [role='combobox'], [role='listbox'], [role='menu']")) return true;
  return false;
}

/**
 * Registers single-key shortcuts on the document for as long as the component is mounted. Ignored while a
 * text field, menu or modal has focus and with Ctrl/Cmd/Alt held, so typing "j" in a reply stays a "j".
 */
export function useShortcuts(handlers: Partial<Record<ShortcutKey, () => void>>) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (isTypingTarget(event.target)) return;
      if (document.querySelector("[role='dialog'][aria-modal='true'], .Polaris-Modal-Dialog")) return;
      const handler = latest.current[event.key as ShortcutKey];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
}

export function ShortcutsModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  // Mounted only while open, so closing removes the dialog in the same render. Left mounted, Polaris fades it out
  // and removes it when a timer fires; a Playwright run found it stuck mid-fade after Escape (closed, backdrop gone,
  // never removed) when a navigation's render (Remix renders them in a transition) landed while it was open. The
  // invisible dialog stayed, catching clicks mid-page and turning every shortcut off (see useShortcuts).
  if (!open) return null;
  return (
    <Modal open onClose={onClose} title="Keyboard shortcuts" secondaryActions={[{ content: "Close", onAction: onClose }]}>
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p" tone="subdued">
            Shortcuts work anywhere in the inbox except while you type in a field.
          </Text>
          <dl className="inbox-shortcuts">
            {SHORTCUTS.map((shortcut) => (
              <div key={shortcut.key}>
                <dt>
                  <kbd>{shortcut.key}</kbd>
                </dt>
                <dd>{shortcut.description}</dd>
              </div>
            ))}
          </dl>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
