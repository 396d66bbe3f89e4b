/** One line of a breakdown: a key (id), its label, how many rows and their share of the total. */
export interface Count {
  /** The id counted (a category, a channel, a level…). */
  readonly key: string;
  /** Its label, for people. */
  readonly label: string;
  /** Rows with this key. */
  readonly count: number;
  /** `count / total` of the breakdown (0 when the total is 0). */
  readonly share: number;
}

/**
 * Counts `keys` into lines: the `order` keys first (even when zero, if `keepZero`), then any other
 * key met, in the order `rest` sorts them.
 */
export function tally(
  keys: readonly string[],
  label: (key: string) => string,
  options: {
    readonly order?: readonly string[];
    readonly keepZero?: boolean;
    readonly rest?: (a: [string, number], b: [string, number]) => number;
  } = {},
): Count[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const total = keys.length;
  const line = (key: string, count: number): Count => ({
    key,
    label: label(key),
    count,
    share: total === 0 ? 0 : count / total,
  });
  const lines: Count[] = [];
  const order = options.order ?? [];
  for (const key of order) {
    const count = counts.get(key) ?? 0;
    if (count > 0 || options.keepZero) lines.push(line(key, count));
  }
  const known = new Set(order);
  const others = [...counts].filter(([key]) => !known.has(key));
  others.sort(options.rest ?? ((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  for (const [key, count] of others) lines.push(line(key, count));
  return lines;
}

/** The mean of `values`, or null when there are none. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The nearest-rank percentile: the smallest value with at least `p` of the values at or below it
 * (for p = 0.9 and 10 values, the 9th smallest). Null when there are none.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** `part / whole`, or null when `whole` is 0. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
