/** Percentiles over measured durations (ms). */
export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { n: sorted.length, p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(sorted.at(-1)!) };
}

export function round(value: number) {
  return Math.round(value * 100) / 100;
}

export async function measure(times: number, fn: (index: number) => Promise<unknown>, warmup = Math.min(20, times)) {
  for (let index = 0; index < warmup; index++) await fn(index);
  const samples: number[] = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    await fn(index);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}
