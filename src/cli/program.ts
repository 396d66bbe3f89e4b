import { Command, Option } from "commander";
import { runInit, runPresets, runRebuild } from "./admin.js";
import { parseCmdPayload, runCmd, runVerb } from "./caseCommands.js";
import { CliError, type CliIo, type ExitCode } from "./io.js";
import { LIST_FORMATS, type ListFormat, runList } from "./list.js";
import type { ReportOutputFormat } from "./report.js";
import { type GlobalOptions, openSession, parseInstant, type Session } from "./session.js";
import { runShow } from "./show.js";
import { runSla, runWatch } from "./sla.js";
import { addVerbOptions, VERBS, type VerbOptions } from "./verbs.js";

/** What an action hands back: the exit code (an error thrown instead is reported by `main`). */
type Action = () => Promise<ExitCode> | ExitCode;

/**
 * Builds the `kesu` program for one run. Actions record their exit code in `result.code`;
 * commander's own output goes through `io`.
 */
export function createProgram(io: CliIo, result: { code: ExitCode }): Command {
  const program = new Command("kesu");
  const run = (action: Action) => async () => {
    result.code = await action();
  };
  const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
  const withSession = async (cmd: Command, work: (session: Session) => Promise<ExitCode>) => {
    const session = await openSession(globals(cmd), io);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  };
  const atOf = (text: unknown) => (typeof text === "string" ? parseInstant(text) : undefined);

  program
    .description(
      "kesu 客诉: complaint handling from the command line — commands, timelines, SLA clocks, reports",
    )
    .option("--db <path>", "the SQLite database file (default: ./kesu.db)")
    .option("--pg <url>", "a PostgreSQL database instead (or set KESU_PG_URL)")
    .option("--pg-schema <name>", "the PostgreSQL schema (default: kesu, or KESU_PG_SCHEMA)")
    .option("--preset <name>", "the policy preset (kesu init remembers it; kesu presets lists them)")
    .option("--as <actor>", "who acts, id:role:unit (default: KESU_ACTOR, else $USER:staff:service)")
    .option(
      "--permissions <file.json>",
      "the permission policy: who may issue which command and see personal data (default: KESU_PERMISSIONS, else the built-in one)",
    )
    .option("--json", "machine-readable output")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  program
    .command("init")
    .description("create the database (or bring it up to date) and remember the preset")
    .action(run(() => runInit(io, globals(program))));

  for (const verb of VERBS) {
    const cmd = program.command(verb.needsCase ? `${verb.name} <case>` : verb.name).description(verb.summary);
    addVerbOptions(cmd, verb);
    cmd.action(
      run(() =>
        withSession(cmd, (session) => {
          const [caseRef] = cmd.args;
          return runVerb(
            io,
            session,
            verb,
            verb.needsCase ? caseRef : undefined,
            cmd.opts<VerbOptions>(),
            globals(cmd).json === true,
          );
        }),
      ),
    );
  }

  const cmd = program
    .command("cmd <json>")
    .description(
      'any command as JSON: { "case": "<case>", "command": { "type": … } }, or a command with --case; - reads stdin',
    )
    .option("--case <case>", "the case (case number or stream id)")
    .option("--at <instant>", "when it happened, unless the command has occurredAt (default: now)");
  cmd.action(
    run(async () => {
      const [source] = cmd.args;
      const o = cmd.opts<{ case?: string; at?: string }>();
      const at = atOf(o.at);
      const text = source === "-" ? await io.readStdin() : (source ?? "");
      const payload = parseCmdPayload(text, o.case, at);
      return withSession(cmd, (session) => runCmd(io, session, payload, globals(cmd).json === true));
    }),
  );

  const show = program
    .command("show <case>")
    .description("a case's timeline with actors and every SLA clock (due, status)")
    .option("--at <instant>", "judge the clocks at this instant (default: now)")
    .option(
      "--reveal-personal-data",
      "show the complainant's personal data (R-36: only roles the permission policy lets see it)",
    );
  show.action(
    run(() => {
      const o = show.opts<{ at?: string; revealPersonalData?: boolean }>();
      const at = atOf(o.at);
      return withSession(show, (session) =>
        runShow(io, session, show.args[0]!, {
          at: at ?? session.clock.now(),
          revealPersonalData: o.revealPersonalData === true,
          json: globals(show).json === true,
        }),
      );
    }),
  );

  const list = program
    .command("list")
    .description("the complaint register from the read model (caught up first)")
    .option(
      "--stage <stages>",
      "comma-separated stages: received, classified, investigated, resolved, revisited, closed",
    )
    .option("--kind <kind>", "complaint, inquiry or suggestion")
    .option("--severity <severity>", "a severity of the policy")
    .option("--category <id>", "a category of the policy")
    .option("--channel <channel>", "how it arrived")
    .option("--unit <unit>", "the owning unit")
    .option("--open", "open cases only")
    .option("--breached", "cases with a clock late at --at (default: now)")
    .option("--at <instant>", "the instant for --breached")
    .option("--limit <n>", "at most this many rows")
    .addOption(new Option("--format <format>", "output format").choices(LIST_FORMATS).default("table"));
  list.action(
    run(() => {
      const o = list.opts<Record<string, string | boolean | undefined>>();
      const format = (globals(list).json ? "json" : o.format) as ListFormat;
      const at = atOf(o.at);
      return withSession(list, (session) =>
        runList(io, session, { ...o, format, ...(at ? { at } : {}) } as Parameters<typeof runList>[2]),
      );
    }),
  );

  const sla = program
    .command("sla")
    .description("open cases with a clock at risk or breached (R-24)")
    .option("--at <instant>", "judge at this instant (default: now)");
  sla.action(
    run(() => {
      const at = atOf(sla.opts<{ at?: string }>().at);
      return withSession(sla, (session) =>
        runSla(io, session, at ?? session.clock.now(), globals(sla).json === true),
      );
    }),
  );

  const watch = program
    .command("watch")
    .description("the SLA watcher: escalates at-risk and breached clocks once per crossing (R-24, R-26)")
    .option("--once", "one pass, then exit")
    .option("--interval <seconds>", "seconds between passes", "60")
    .option("--at <instant>", "with --once: judge at this instant");
  watch.action(
    run(() => {
      const o = watch.opts<{ once?: boolean; interval: string; at?: string }>();
      const interval = Number(o.interval);
      if (!Number.isFinite(interval) || interval <= 0)
        throw new CliError(`--interval ${o.interval} is not a number of seconds`);
      const at = atOf(o.at);
      return withSession(watch, async (session) => {
        let onSignal: () => void = () => {};
        const stopped = new Promise<void>((resolve) => {
          onSignal = resolve;
        });
        if (!o.once) for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, onSignal);
        try {
          return await runWatch(io, session, {
            once: o.once === true,
            intervalSeconds: interval,
            at,
            json: globals(watch).json === true,
            stopped,
          });
        } finally {
          for (const s of ["SIGINT", "SIGTERM"] as const) process.removeListener(s, onSignal);
        }
      });
    }),
  );

  const report = program
    .command("report")
    .description("monthly statistics (客户月投诉统计表) or the annual report (年报表), R-33–R-35")
    .option("--month <YYYY-MM>", "a month")
    .option("--year <YYYY>", "a year")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["table", "json", "csv", "html"])
        .default("table"),
    )
    .option("--out <file>", "write to this file instead of stdout (written whole or not at all)");
  report.action(
    run(() => {
      const o = report.opts<{ month?: string; year?: string; format: string; out?: string }>();
      const format = (globals(report).json && o.format === "table" ? "json" : o.format) as ReportOutputFormat;
      return withSession(report, async (session) => {
        // Loaded only here: the reports module carries the dashboard's chart code.
        const { runReport } = await import("./report.js");
        return runReport(io, session, { ...o, format });
      });
    }),
  );

  const importCmd = program
    .command("import <file>")
    .description("historical complaints from a CSV export, through a JSON column mapping (kesu/import)")
    .requiredOption("--map <mapping.json>", "the column mapping, e.g. examples/cfpb-mapping.json");
  importCmd.action(
    run(() =>
      withSession(importCmd, async (session) => {
        const { runImport } = await import("./importFile.js");
        const o = importCmd.opts<{ map: string }>();
        return runImport(io, session, importCmd.args[0]!, o.map, globals(importCmd).json === true);
      }),
    ),
  );

  const rebuild = program
    .command("rebuild")
    .description("rebuild the complaint list from every event, with a progress bar");
  rebuild.action(
    run(() => withSession(rebuild, (session) => runRebuild(io, session, globals(rebuild).json === true))),
  );

  const presetsCmd = program
    .command("presets [name]")
    .description("the shipped presets, or one preset's severities, categories, clocks and closure rules");
  presetsCmd.action(run(() => runPresets(io, presetsCmd.args[0], globals(presetsCmd).json === true)));

  return program;
}
