import { formatCaseNumber } from "../domain/caseNumber.js";
import type { Policy } from "../domain/policy.js";
import type { Duration, Kind } from "../domain/values.js";
import type { ClockSpec } from "../sla/clockSpec.js";

/** Options of {@link describePreset}. */
export interface DescribeOptions {
  /** Heading level of the preset's title (default 2: `##`). */
  readonly level?: 1 | 2 | 3 | undefined;
  /** Remarks printed after the data: seed values the preset chose, known limits. */
  readonly notes?: readonly string[] | undefined;
}

const PLURAL: Record<Kind, string> = {
  complaint: "complaints",
  inquiry: "inquiries",
  suggestion: "suggestions",
};

/** The instant example case numbers are formatted for, so the text never depends on today. */
const EXAMPLE_AT = new Date("2026-03-02T01:00:00.000Z");

const GATES: Record<Policy["closure"]["gate"], string> = {
  none: "none",
  four: "四不放过 — cause found, corrective measures in place, responsible person held to account, staff educated (002:221)",
  five: "五不放过 — cause found, problem solved, corrective measures in place, responsible person held to account, staff educated (002:442)",
};

/**
 * A policy as a markdown reference: identity, severities and their rules, categories and routing,
 * SLA clocks with targets and escalations, authority, escalation ladder and closure. Pure: the
 * same policy always gives the same text, so docs generated from it cannot drift.
 * @example
 * import { describePreset, tobacco } from "kesu/presets";
 * console.log(describePreset(tobacco));
 */
export function describePreset(policy: Policy, options: DescribeOptions = {}): string {
  const level = options.level ?? 2;
  const h = (n: number) => "#".repeat(level + n);
  const out: string[] = [];
  out.push(`${h(0)} ${policy.name}`, "");
  out.push(
    [
      `\`${policy.id}\` version ${policy.version}`,
      `time zone ${policy.timeZone}`,
      `currency ${policy.currency}`,
      `case numbers \`${policy.caseNumberFormat}\` (e.g. \`${formatCaseNumber(policy, EXAMPLE_AT, 1)}\`)`,
      `kinds: ${policy.kinds.join(", ")}`,
    ].join(" · "),
    "",
  );

  out.push(`${h(1)} Severities (R-18)`, "");
  out.push(
    `${policy.severities.join(" < ")}; default **${policy.defaultSeverity}**; settled on the spot (R-04): ${
      policy.onTheSpotSeverities.length > 0 ? policy.onTheSpotSeverities.join(", ") : "never"
    }.`,
    "",
  );
  if (policy.severityRules.length > 0) {
    out.push("| rule | sets at least | when | source |", "|---|---|---|---|");
    for (const rule of policy.severityRules)
      out.push(row(`\`${rule.id}\``, rule.severity, whenText(rule.when), rule.source ?? ""));
    out.push("");
  }

  out.push(`${h(1)} Categories (R-20, routing R-05)`, "");
  out.push("| id | label | routed to |", "|---|---|---|");
  for (const c of policy.categories) out.push(row(`\`${c.id}\``, c.label, c.routeTo ?? ""));
  out.push("");

  out.push(`${h(1)} Clocks (R-23, R-24, R-26)`, "");
  if (policy.clocks.length === 0) out.push("No SLA clocks.", "");
  else {
    out.push(
      "| clock | runs | target | pauses | warns at | escalates | source |",
      "|---|---|---|---|---|---|---|",
    );
    for (const clock of policy.clocks)
      out.push(
        row(
          `${clock.label} \`${clock.id}\`${clock.kinds ? ` (${clock.kinds.map((k) => PLURAL[k]).join(", ")} only)` : ""}`,
          runsText(clock),
          targetsText(clock),
          clock.pause.length > 0 ? `${clock.pause.join(", ")} → ${clock.resume.join(", ")}` : "never",
          `${Math.round(clock.warnAt * 100)} %`,
          clock.escalations.length > 0
            ? clock.escalations
                .map((e) => `${e.on} → level ${e.toLevel} (${policy.escalationRoles[e.toLevel]})`)
                .join("; ")
            : "none",
          clock.source ?? "",
        ),
      );
    out.push("");
  }

  out.push(`${h(1)} Authority (R-27) and escalation (R-26)`, "");
  if (policy.authority.length > 0) {
    out.push("| role | may promise up to |", "|---|---|");
    for (const a of policy.authority) out.push(row(a.role, `${a.maxRemedyValue} ${policy.currency}`));
    out.push("");
  }
  out.push(
    `Remedies without value that need no authority: ${policy.freeRemedies.join(", ")}.`,
    `Escalation ladder: 1 ${policy.escalationRoles[1]} → 2 ${policy.escalationRoles[2]} → 3 ${policy.escalationRoles[3]}.`,
    `Deadline extensions (R-14) approved by: ${policy.extensionApproverRoles.join(", ")}.`,
    "",
  );

  out.push(`${h(1)} Closure (R-10, R-11, R-30)`, "");
  out.push(
    `- Revisit before closing a valid complaint: ${yes(policy.closure.requireRevisit)}`,
    `- The complainant confirms closure (谁投诉谁关闭): ${yes(policy.closure.requireComplainantConfirmation)}`,
    `- Closure gate: ${GATES[policy.closure.gate]}`,
    "",
  );

  if (options.notes && options.notes.length > 0) {
    out.push(`${h(1)} Notes`, "");
    for (const note of options.notes) out.push(`- ${note}`);
    out.push("");
  }
  return out.join("\n");
}

function yes(flag: boolean): string {
  return flag ? "yes" : "no";
}

function row(...cells: string[]): string {
  return `| ${cells.map((c) => c.replaceAll("|", "\\|").replaceAll("\n", " ")).join(" | ")} |`;
}

function whenText(when: Policy["severityRules"][number]["when"]): string {
  const parts: string[] = [];
  if (when.categories) parts.push(`category ${when.categories.join(", ")}`);
  if (when.tagsAny) parts.push(`any tag of ${when.tagsAny.join(", ")}`);
  if (when.channels) parts.push(`channel ${when.channels.join(", ")}`);
  if (when.kinds) parts.push(`kind ${when.kinds.join(", ")}`);
  return parts.length > 0 ? parts.join("; ") : "always";
}

function runsText(clock: ClockSpec): string {
  const from = clock.after !== undefined ? `after \`${clock.after}\` stops` : clock.start.join(", ");
  return `${from} → ${clock.stop.join(", ")}`;
}

function targetsText(clock: ClockSpec): string {
  const [only, ...more] = clock.targets;
  if (only && more.length === 0 && only.severity === undefined && only.kind === undefined)
    return durationText(only.target);
  return clock.targets
    .map((t) => {
      const on = [t.severity, t.kind].filter((x) => x !== undefined).join(" ");
      return `${on === "" ? "otherwise" : on}: ${durationText(t.target)}`;
    })
    .join("; ");
}

/** `{ amount: 3, unit: "working-days" }` → `3 working days`. */
export function durationText(d: Duration): string {
  if (d.unit === "end-of-next-working-day")
    return d.amount === 1 ? "end of the next working day" : `end of working day ${d.amount} after receipt`;
  const [what, measure] = d.unit.split("-") as [string, string];
  const noun = d.amount === 1 ? measure.replace(/s$/, "") : measure;
  return `${d.amount} ${what} ${noun}`;
}

/** Options of {@link describePresets}. */
export interface DescribePresetsOptions {
  /** The page title (default "Presets"). */
  readonly title?: string | undefined;
  /** Markdown placed after the title, before the presets. */
  readonly intro?: string | undefined;
  /** Notes per preset name. */
  readonly notes?: Readonly<Record<string, readonly string[]>> | undefined;
}

/**
 * A reference page for several presets: a title, an intro, a table of contents and
 * {@link describePreset} for each, in the record's order.
 */
export function describePresets(
  presets: Readonly<Record<string, Policy>>,
  options: DescribePresetsOptions = {},
): string {
  const out: string[] = [`# ${options.title ?? "Presets"}`, ""];
  if (options.intro) out.push(options.intro.trim(), "");
  out.push("| preset | policy id | name |", "|---|---|---|");
  for (const [name, policy] of Object.entries(presets))
    out.push(row(`\`${name}\``, `\`${policy.id}\``, policy.name));
  out.push("");
  for (const [name, policy] of Object.entries(presets))
    out.push(describePreset(policy, { level: 2, notes: options.notes?.[name] }));
  return `${out.join("\n").trimEnd()}\n`;
}
