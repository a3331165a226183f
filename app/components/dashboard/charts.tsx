import { Link } from "@remix-run/react";
import { Text } from "@shopify/polaris";
import { formatCount, formatDay } from "./format";

/**
 * Small charts in HTML and SVG with Polaris tokens (see dashboard.css): server-rendered, no chart library in the
 * bundle, every mark a link to the conversations behind it, and the numbers in each link's label, so nothing
 * depends on seeing the shape.
 */

export interface DayColumn {
  day: string;
  conversations: number;
  automated: number;
  handedOff: number;
  href: string;
}

/** Conversations per day, split into automated, handed off and the rest. */
export function DailyColumns({ days }: { days: DayColumn[] }) {
  const max = Math.max(1, ...days.map((day) => day.conversations));
  const share = (value: number) => `${(value / max) * 100}%`;
  return (
    <div>
      <ul className="dash-columns" aria-label="Conversations per day">
        {days.map((day) => {
          const other = Math.max(0, day.conversations - day.automated - day.handedOff);
          const label = `${formatDay(day.day)}: ${formatCount(day.conversations)} conversations, ${formatCount(day.automated)} automated, ${formatCount(day.handedOff)} handed off`;
          return (
            <li key={day.day} className="dash-column-item">
              <Link to={day.href} className="dash-column" aria-label={label} title={label} prefetch="none">
                <span className="dash-segment-automated" style={{ height: share(day.automated) }} />
                <span className="dash-segment-handed" style={{ height: share(day.handedOff) }} />
                <span className="dash-segment-other" style={{ height: share(other) }} />
                <span className="dash-segment-empty" style={{ flex: 1 }} />
              </Link>
            </li>
          );
        })}
      </ul>
      <Axis days={days.map((day) => day.day)} />
      <div className="dash-legend" aria-hidden="true">
        <span>
          <span className="dash-swatch dash-segment-automated" />
          Automated
        </span>
        <span>
          <span className="dash-swatch dash-segment-handed" />
          Handed off
        </span>
        <span>
          <span className="dash-swatch dash-segment-other" />
          Not automated, or still within 72 hours
        </span>
      </div>
    </div>
  );
}

function Axis({ days }: { days: string[] }) {
  if (days.length === 0) return null;
  const middle = days[Math.floor((days.length - 1) / 2)]!;
  return (
    <div className="dash-axis" aria-hidden="true">
      <span>{formatDay(days[0]!)}</span>
      {days.length > 2 ? <span>{formatDay(middle)}</span> : null}
      {days.length > 1 ? <span>{formatDay(days.at(-1)!)}</span> : null}
    </div>
  );
}

export interface TrendPoint {
  day: string;
  value: number | null;
  label: string;
  href: string;
}

/** A line over the days (gaps where a day has no value), with a link per day laid over it. */
export function TrendLine({ points, min, max, zero, name }: { points: TrendPoint[]; min: number; max: number; zero?: number; name: string }) {
  const width = 600;
  const height = 140;
  const pad = 6;
  const x = (index: number) => (points.length === 1 ? width / 2 : pad + (index * (width - 2 * pad)) / (points.length - 1));
  const y = (value: number) => pad + ((max - Math.min(max, Math.max(min, value))) / (max - min)) * (height - 2 * pad);
  const segments: string[] = [];
  let current = "";
  points.forEach((point, index) => {
    if (point.value === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${x(index).toFixed(1)},${y(point.value).toFixed(1)} `;
  });
  if (current) segments.push(current);
  const valued = points.filter((point) => point.value !== null);
  return (
    <div>
      <div className="dash-trend">
        <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true">
          {zero !== undefined ? <line x1={0} x2={width} y1={y(zero)} y2={y(zero)} stroke="var(--p-color-border-secondary)" strokeDasharray="4 4" vectorEffect="non-scaling-stroke" /> : null}
          {segments.map((d) => (
            <path key={d} d={d} fill="none" stroke="var(--p-color-icon-emphasis)" strokeWidth={2} strokeLinejoin="round" vectorEffect="non-scaling-stroke" />
          ))}
          {points.length <= 31
            ? points.map((point, index) =>
                point.value === null ? null : <circle key={point.day} cx={x(index)} cy={y(point.value)} r={2.5} fill="var(--p-color-icon-emphasis)" vectorEffect="non-scaling-stroke" />,
              )
            : null}
        </svg>
        <ul className="dash-trend-hits" aria-label={name}>
          {points.map((point) => (
            <li key={point.day} className="dash-trend-hit">
              <Link to={point.href} aria-label={`${formatDay(point.day)}: ${point.label}`} title={`${formatDay(point.day)}: ${point.label}`} prefetch="none" />
            </li>
          ))}
        </ul>
      </div>
      <Axis days={points.map((point) => point.day)} />
      {valued.length === 0 ? (
        <Text as="p" tone="subdued">
          No values on these days.
        </Text>
      ) : null}
    </div>
  );
}

export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** Shown instead of the value (e.g. a share). */
  display?: string;
  href?: string;
}

/** A breakdown's first `limit` entries, in the order given, as bars. */
export function volumeRows(counts: Record<string, number>, label: (key: string) => string, href: (key: string) => string | undefined, limit: number): BarRow[] {
  return Object.entries(counts)
    .slice(0, limit)
    .map(([key, value]) => ({ key, label: label(key), value, href: href(key) }));
}

/** Horizontal bars, largest first as given; each label links to its conversations. */
export function BarList({ rows, name }: { rows: BarRow[]; name: string }) {
  const max = Math.max(1, ...rows.map((row) => row.value));
  return (
    <ul className="dash-bars" aria-label={name}>
      {rows.map((row) => (
        <li key={row.key} className="dash-bar-row">
          {row.href ? (
            <Link to={row.href} prefetch="none" aria-label={`${row.label}: ${row.display ?? formatCount(row.value)}`}>
              {row.label}
            </Link>
          ) : (
            <span>{row.label}</span>
          )}
          <div className="dash-bar-track" aria-hidden="true">
            <div className="dash-bar-fill" style={{ width: `${(row.value / max) * 100}%` }} />
          </div>
          <span className="dash-bar-value">{row.display ?? formatCount(row.value)}</span>
        </li>
      ))}
    </ul>
  );
}
