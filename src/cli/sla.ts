import { fixedClock } from "../domain/context.js";
import type { ComplaintId } from "../domain/ids.js";
import { evaluateSla } from "../sla/evaluate.js";
import { runSlaWatcher, type SlaWatchReport } from "../sla/watcher.js";
import { localTime, table } from "./format.js";
import type { CliIo, ExitCode } from "./io.js";
import { EXIT } from "./io.js";
import type { Session } from "./session.js";
import { calendarFor, policyByRef } from "./settings.js";

/** One clock at risk or breached. */
interface SlaLine {
  readonly caseNumber: string;
  readonly streamId: ComplaintId;
  readonly clock: string;
  readonly status: "at-risk" | "breached";
  readonly dueAt: string | undefined;
  readonly stage: string;
  readonly owner: string;
  readonly escalationLevel: number;
}

async function openCases(session: Session): Promise<readonly ComplaintId[]> {
  const list = await session.complaintList();
  const { rows } = await list.query({ open: true, limit: Number.MAX_SAFE_INTEGER });
  return rows.map((r) => r.streamId);
}

/** `kesu sla [--at]`: every open case's clocks that are at risk or breached at the instant (R-24). */
export async function runSla(io: CliIo, session: Session, at: Date, json: boolean): Promise<ExitCode> {
  const lines: SlaLine[] = [];
  for (const streamId of await openCases(session)) {
    const { events, state } = await session.load(streamId);
    const policy = session.policyOf(state);
    for (const c of evaluateSla(events, policy, calendarFor(policy), at).clocks)
      if (c.status === "at-risk" || c.status === "breached")
        lines.push({
          caseNumber: state.caseNumber,
          streamId,
          clock: c.clockId,
          status: c.status,
          dueAt: c.dueAt,
          stage: state.stage,
          owner: state.owner.id ? `${state.owner.id}@${state.owner.unit}` : state.owner.unit,
          escalationLevel: state.escalationLevel,
        });
  }
  if (json) {
    io.stdout.write(`${JSON.stringify({ at: at.toISOString(), clocks: lines }, null, 2)}\n`);
    return EXIT.ok;
  }
  const tz = session.policy.timeZone;
  const breached = lines.filter((l) => l.status === "breached").length;
  if (lines.length > 0)
    io.stdout.write(
      `${table(
        ["case", "clock", "status", "due", "stage", "owner", "level"],
        lines.map((l) => [
          l.caseNumber,
          l.clock,
          l.status,
          l.dueAt ? localTime(l.dueAt, tz) : "-",
          l.stage,
          l.owner,
          String(l.escalationLevel),
        ]),
      )}\n`,
    );
  io.stdout.write(
    `${breached} breached, ${lines.length - breached} at risk at ${localTime(at.toISOString(), tz)}\n`,
  );
  return EXIT.ok;
}

/** Options of `kesu watch`. */
export interface WatchOptions {
  readonly once: boolean;
  readonly intervalSeconds: number;
  /** Judge at this instant instead of the clock (with `--once`). */
  readonly at?: Date | undefined;
  readonly json: boolean;
  /** Resolves when the watch should stop (SIGINT/SIGTERM in the bin). */
  readonly stopped: Promise<void>;
}

function printReport(io: CliIo, session: Session, report: SlaWatchReport, json: boolean): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const tz = session.policy.timeZone;
  for (const f of report.findings) {
    const actions = f.actions.map((a) => `${a.on} → level ${a.toLevel}: ${a.outcome}`).join("; ");
    io.stdout.write(
      `${f.caseNumber}  ${f.clock.clockId} ${f.clock.status}, due ${f.clock.dueAt ? localTime(f.clock.dueAt, tz) : "-"}${actions ? `  ${actions}` : ""}\n`,
    );
  }
  for (const s of report.skipped) io.stdout.write(`skipped ${s.streamId}: ${s.reason}\n`);
  io.stdout.write(
    `${localTime(report.at, tz)}: ${report.checked} open case${report.checked === 1 ? "" : "s"} checked, ${report.findings.length} finding${report.findings.length === 1 ? "" : "s"}\n`,
  );
}

/**
 * `kesu watch`: the SLA watcher (R-24, R-26) on the open cases, escalating once per crossing;
 * every `--interval` seconds until stopped, or a single pass with `--once`.
 */
export async function runWatch(io: CliIo, session: Session, o: WatchOptions): Promise<ExitCode> {
  let stop = false;
  void o.stopped.then(() => {
    stop = true;
  });
  for (;;) {
    const now = o.at ?? session.clock.now();
    const report = await runSlaWatcher({
      store: session.backend.store,
      policy: policyByRef,
      calendar: calendarFor(session.policy),
      now,
      cases: await openCases(session),
      clock: o.at ? fixedClock(o.at) : session.clock,
      ids: session.ids,
    });
    printReport(io, session, report, o.json);
    if (o.once || stop) return EXIT.ok;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([new Promise((r) => (timer = setTimeout(r, o.intervalSeconds * 1000))), o.stopped]);
    clearTimeout(timer);
    if (stop) return EXIT.ok;
  }
}
