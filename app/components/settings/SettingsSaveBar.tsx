import { SaveBar } from "@shopify/app-bridge-react";
import { ContextualSaveBar } from "@shopify/polaris";

// App Bridge reads the save bar's buttons from these attributes; React's button type does not know them.
const primaryButton = { variant: "primary" } as Record<string, string>;

/**
 * The contextual save bar while the form has unsaved changes. Inside the Shopify admin it is App Bridge's
 * (drawn by the admin above the app); in the standalone demo, which has no admin around it, Polaris' own in the
 * demo's Frame. Both show Save and Discard.
 */
export function SettingsSaveBar({ standalone, open, saving, onSave, onDiscard }: { standalone: boolean; open: boolean; saving: boolean; onSave: () => void; onDiscard: () => void }) {
  if (standalone) {
    return open ? (
      <ContextualSaveBar
        message="Unsaved changes"
        saveAction={{ content: "Save", onAction: onSave, loading: saving, disabled: saving }}
        discardAction={{ content: "Discard", onAction: onDiscard, disabled: saving }}
      />
    ) : null;
  }
  return (
    <SaveBar id="settings-save-bar" open={open}>
      <button type="button" {...primaryButton} {...(saving ? { loading: "" } : {})} onClick={onSave}>
        Save
      </button>
      <button type="button" disabled={saving} onClick={onDiscard}>
        Discard
      </button>
    </SaveBar>
  );
}
