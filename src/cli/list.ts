import type { ComplaintListQuery, ComplaintListRow } from "../projections/complaintList.js";
import { csv, localTime, table } from "./format.js";
import { CliError, type CliIo, EXIT, type ExitCode } from "./io.js";
import type { Session } from "./session.js";

/** Output formats of `kesu list`. */
export const LIST_FORMATS = ["table", "json", "csv"] as const;
/** An output format of `kesu list`. */
export type ListFormat = (typeof LIST_FORMATS)[number];

/** Options of `kesu list`, as commander hands them over. */
export interface ListOptions {
  readonly stage?: string | undefined;
  readonly kind?: string | undefined;
  readonly severity?: string | undefined;
  readonly category?: string | undefined;
  readonly channel?: string | undefined;
  readonly unit?: string | undefined;
  readonly open?: boolean | undefined;
  readonly breached?: boolean | undefined;
  readonly at?: Date | undefined;
  readonly limit?: string | undefined;
  readonly format: ListFormat;
}

const STAGES = ["received", "classified", "investigated", "resolved", "revisited", "closed"] as const;

/** The read-model query of `kesu list`'s filters. */
export function listQuery(o: ListOptions, now: Date): ComplaintListQuery {
  const stages = o.stage?.split(",").map((s) => s.trim());
  for (const s of stages ?? [])
    if (!(STAGES as readonly string[]).includes(s))
      throw new CliError(`--stage ${JSON.stringify(s)} is not a stage; one of ${STAGES.join(", ")}`);
  const limit = o.limit === undefined ? Number.MAX_SAFE_INTEGER : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 0)
    throw new CliError(`--limit ${JSON.stringify(o.limit)} is not a count`);
  const q: Record<string, unknown> = {
    stage: stages,
    kind: o.kind,
    severity: o.severity,
    category: o.category,
    channel: o.channel,
    unit: o.unit,
    open: o.open,
    breachedAt: o.breached ? (o.at ?? now) : undefined,
    limit,
  };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as ComplaintListQuery;
}

const COLUMNS = [
  "caseNumber",
  "stage",
  "kind",
  "severity",
  "category",
  "channel",
  "unit",
  "owner",
  "escalationLevel",
  "validity",
  "receivedAt",
  "closedAt",
  "outcome",
  "cycle",
  "rejections",
  "satisfaction",
  "slaDueAt",
  "slaLate",
  "streamId",
] as const satisfies readonly (keyof ComplaintListRow)[];

/** A row's cells for CSV: every scalar column, late clocks joined with `;`. */
function csvCells(row: ComplaintListRow): string[] {
  return COLUMNS.map((c) => {
    const v = row[c];
    return Array.isArray(v) ? v.join(";") : v === null ? "" : String(v);
  });
}

/** `kesu list`: the complaint register (台账, R-33) from the read model, caught up first. */
export async function runList(io: CliIo, session: Session, o: ListOptions): Promise<ExitCode> {
  const query = listQuery(o, session.clock.now());
  const list = await session.complaintList();
  const { rows, total } = await list.query(query);
  if (o.format === "json") io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (o.format === "csv") io.stdout.write(csv(COLUMNS, rows.map(csvCells)));
  else {
    const tz = session.policy.timeZone;
    const cells = rows.map((r) => [
      r.caseNumber,
      r.stage,
      r.kind ?? "-",
      r.severity ?? "-",
      r.category ?? "-",
      r.channel,
      r.owner ? `${r.owner}@${r.unit}` : r.unit,
      localTime(r.receivedAt, tz),
      r.slaDueAt ? localTime(r.slaDueAt, tz) : "-",
      r.slaLate.join(",") || "-",
    ]);
    io.stdout.write(
      `${table(["case", "stage", "kind", "severity", "category", "channel", "owner", "received", "next due", "late"], cells)}\n`,
    );
    io.stdout.write(`${rows.length} of ${total} case${total === 1 ? "" : "s"}\n`);
  }
  return EXIT.ok;
}
