import { presets } from "../presets/catalog.js";
import { describePreset } from "../presets/describe.js";
import { openBackend } from "./backend.js";
import { table } from "./format.js";
import { type CliIo, EXIT, type ExitCode } from "./io.js";
import { loadPermissions } from "./permissions.js";
import { progressBar } from "./progress.js";
import { type GlobalOptions, locationOf, type Session } from "./session.js";
import { calendarFor, presetNamed } from "./settings.js";

/** The preset `kesu init` picks when none is given and none was stored. */
export const DEFAULT_PRESET = "generic";

/**
 * `kesu init`: creates the database (or brings its schema up to date) and remembers the preset.
 * Run again with another `--preset` to change the preset for new cases; old cases keep theirs.
 */
export async function runInit(io: CliIo, options: GlobalOptions): Promise<ExitCode> {
  // A bad preset or permissions file is refused before anything is created.
  const chosen = options.preset === undefined ? undefined : presetNamed(options.preset);
  loadPermissions(options.permissions, io.env);
  const backend = await openBackend(locationOf(options, io.env), { create: true });
  try {
    const before = await backend.readSettings().catch(() => undefined);
    const preset = chosen ?? before?.preset ?? DEFAULT_PRESET;
    await backend.writeSettings({ preset: presetNamed(preset) });
    const policy = presets[presetNamed(preset)];
    const change = before && before.preset !== preset ? ` (was ${before.preset})` : "";
    if (options.json)
      io.stdout.write(
        `${JSON.stringify({ database: backend.label, preset, policy: { id: policy.id, version: policy.version } })}\n`,
      );
    else io.stdout.write(`initialised ${backend.label} with preset ${preset}${change}: ${policy.name}\n`);
    return EXIT.ok;
  } finally {
    await backend.close();
  }
}

/** `kesu rebuild`: resets the complaint list and projects every event again, with a progress bar. */
export async function runRebuild(io: CliIo, session: Session, json: boolean): Promise<ExitCode> {
  const total = await session.backend.lastPosition();
  const bar = progressBar(io.stderr, "rebuild");
  bar.start(total);
  const list = await session.complaintList({
    onProgress: (position) => bar.update(position),
    catchUp: false,
  });
  let result: { position: number; applied: number };
  try {
    result = await list.runner.rebuild();
  } finally {
    bar.stop();
  }
  const { total: cases } = await list.query({ limit: 0 });
  const summary = { events: result.applied, position: result.position, cases };
  io.stdout.write(
    json
      ? `${JSON.stringify(summary)}\n`
      : `rebuilt the complaint list: ${result.applied} events, ${cases} cases\n`,
  );
  return EXIT.ok;
}

/** `kesu presets [name]`: the shipped presets, or one preset's rules and clocks. */
export function runPresets(io: CliIo, name: string | undefined, json: boolean): ExitCode {
  if (name === undefined) {
    const rows = Object.entries(presets).map(([key, p]) => [
      key,
      `${p.id}@${p.version}`,
      calendarFor(p).id,
      p.name,
    ]);
    if (json)
      io.stdout.write(
        `${JSON.stringify(rows.map(([preset, id, calendar, title]) => ({ preset, id, calendar, name: title })))}\n`,
      );
    else io.stdout.write(`${table(["preset", "policy", "calendar", "name"], rows)}\n`);
    return EXIT.ok;
  }
  const policy = presets[presetNamed(name)];
  io.stdout.write(
    json ? `${JSON.stringify(policy, null, 2)}\n` : `${describePreset(policy, { level: 1 })}\n`,
  );
  return EXIT.ok;
}
