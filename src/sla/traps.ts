import type { ClockSpec } from "./clockSpec.js";

/** A policy mistake that would make a clock silently useless, with the field it sits in. */
export interface ClockTrap {
  /** Where in the policy, e.g. `["clocks", 2, "stopOn"]`. */
  readonly path: readonly (string | number)[];
  /** What would go wrong. */
  readonly message: string;
}

/**
 * Finds the traps service desks document in SLA definitions: a clock whose start can never fire,
 * a stop that is a subset of its start, a pause that can never resume, a chain to a missing
 * clock or a chain that loops, and a severity (or kind) for which no target applies.
 */
export function findClockTraps(
  clocks: readonly ClockSpec[],
  severities: readonly string[],
  kinds: readonly string[],
): ClockTrap[] {
  const traps: ClockTrap[] = [];
  const byId = new Map(clocks.map((c) => [c.id, c]));
  clocks.forEach((clock, i) => {
    const at = (...rest: (string | number)[]) => ["clocks", i, ...rest];
    if (clock.start.length === 0 && clock.after === undefined)
      traps.push({ path: at("start"), message: "the clock can never start: no start events and no `after`" });
    if (clock.after !== undefined && !byId.has(clock.after))
      traps.push({ path: at("after"), message: `chained after unknown clock ${clock.after}` });
    if (clock.after !== undefined && chainLoops(clock, byId))
      traps.push({
        path: at("after"),
        message: "the `after` chain loops back to this clock: it can never start",
      });
    if (clock.start.length > 0 && clock.stop.every((type) => clock.start.includes(type)))
      traps.push({
        path: at("stop"),
        message: "every stop event is also a start event: the clock can never stop",
      });
    if (clock.pause.length > 0 && clock.resume.every((type) => clock.pause.includes(type)))
      traps.push({ path: at("resume"), message: "the clock pauses but no resume event can ever resume it" });
    const applies = clock.kinds ?? kinds;
    for (const severity of severities)
      for (const kind of applies) {
        const hit = clock.targets.some(
          (row) =>
            (row.severity === undefined || row.severity === severity) &&
            (row.kind === undefined || row.kind === kind),
        );
        if (!hit)
          traps.push({ path: at("targets"), message: `no target for severity ${severity} and kind ${kind}` });
      }
    clock.targets.forEach((row, j) => {
      if (row.severity !== undefined && !severities.includes(row.severity))
        traps.push({ path: at("targets", j, "severity"), message: `unknown severity ${row.severity}` });
    });
  });
  return traps;
}

function chainLoops(clock: ClockSpec, byId: ReadonlyMap<string, ClockSpec>): boolean {
  const seen = new Set<string>([clock.id]);
  let next = clock.after;
  while (next !== undefined) {
    if (seen.has(next)) return true;
    seen.add(next);
    next = byId.get(next)?.after;
  }
  return false;
}
