import { useLocation, useNavigate } from "@remix-run/react";
import { BlockStack, Button, ButtonGroup, InlineError, InlineStack, Popover, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { appPath } from "~/components/app-path";
import { formatPeriod } from "./format";

export interface PresetOption {
  value: string;
  label: string;
}

/**
 * The period: presets (today, 7, 30, 90 days) or any range of days, in the URL (`?period=7d`, `?from=…&to=…`),
 * so a reload or a shared link shows the same figures. Says which period the figures are compared with.
 */
export function PeriodPicker({
  presets,
  selected,
  period,
  previous,
  timeZone,
}: {
  presets: PresetOption[];
  /** The preset in use, or null for a custom range. */
  selected: string | null;
  period: { from: string; to: string };
  previous: { from: string; to: string };
  timeZone: string;
}) {
  const location = useLocation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const invalid = !from || !to ? "Choose both days." : from > to ? "The last day is before the first." : null;
  const apply = () => {
    if (invalid) return;
    setOpen(false);
    navigate(appPath("/app", location.search, { from, to }));
  };
  return (
    <BlockStack gap="200">
      <InlineStack gap="300" blockAlign="center" wrap>
        <ButtonGroup variant="segmented">
          {presets.map((preset) => (
            <Button key={preset.value} pressed={selected === preset.value} onClick={() => navigate(appPath("/app", location.search, { period: preset.value }))}>
              {preset.label}
            </Button>
          ))}
          <Popover
            active={open}
            onClose={() => setOpen(false)}
            activator={
              <Button pressed={selected === null} disclosure onClick={() => setOpen((value) => !value)}>
                Custom
              </Button>
            }
          >
            <Popover.Pane fixed>
              <div style={{ padding: "var(--p-space-400)" }}>
                <form
                  onSubmit={(event) => {
                    event.preventDefault();
                    apply();
                  }}
                >
                  <BlockStack gap="300">
                    <InlineStack gap="200" wrap={false}>
                      <TextField label="First day" type="date" value={from} onChange={setFrom} autoComplete="off" />
                      <TextField label="Last day" type="date" value={to} onChange={setTo} autoComplete="off" />
                    </InlineStack>
                    {invalid ? <InlineError message={invalid} fieldID="period" /> : null}
                    <Button submit variant="primary" disabled={Boolean(invalid)}>
                      Show these days
                    </Button>
                  </BlockStack>
                </form>
              </div>
            </Popover.Pane>
          </Popover>
        </ButtonGroup>
      </InlineStack>
      <Text as="p" tone="subdued">
        {formatPeriod(period)}, compared with {formatPeriod(previous)} · days in {timeZone}
      </Text>
    </BlockStack>
  );
}
