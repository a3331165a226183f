/**
 * A small inline line chart of sentiment (-1..1) over time, oldest to newest, with a zero line. The numbers
 * are in the accessible label, so nothing depends on seeing the shape.
 */
export function Sparkline({ points, width = 200, height = 40, label }: { points: { at: string; value: number }[]; width?: number; height?: number; label: string }) {
  if (points.length === 0) return null;
  const pad = 3;
  const x = (index: number) => (points.length === 1 ? width / 2 : pad + (index * (width - 2 * pad)) / (points.length - 1));
  const y = (value: number) => pad + ((1 - Math.max(-1, Math.min(1, value))) / 2) * (height - 2 * pad);
  const path = points.map((point, index) => `${index === 0 ? "M" : "L"}${x(index).toFixed(1)},${y(point.value).toFixed(1)}`).join(" ");
  const last = points.at(-1)!;
  const lastColour = last.value <= -0.4 ? "var(--p-color-icon-critical)" : last.value >= 0.4 ? "var(--p-color-icon-success)" : "var(--p-color-icon-secondary)";
  return (
    <svg className="inbox-sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      <line x1={pad} x2={width - pad} y1={y(0)} y2={y(0)} stroke="var(--p-color-border-secondary)" strokeDasharray="3 3" />
      <path d={path} fill="none" stroke="var(--p-color-icon-emphasis)" strokeWidth={1.5} strokeLinejoin="round" />
      <circle cx={x(points.length - 1)} cy={y(last.value)} r={3} fill={lastColour} />
    </svg>
  );
}
