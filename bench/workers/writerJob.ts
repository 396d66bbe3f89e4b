/**
 * Writer processes for the SQLite checks: what a process is asked to do, what it reports, and
 * how the benchmark starts a set of them at once. Processes, not threads: the sqlite3 driver
 * under Emmett can abort the whole process when a thread that used it is torn down.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ComplaintEvent } from "../../src/index.js";

/** One append of a writer. */
export interface WriterAppend {
  readonly stream: string;
  readonly events: readonly ComplaintEvent[];
  readonly expected: "no-stream" | "any" | number;
}

/** What one process does: its writers run concurrently, each writer's appends in order. */
export interface WriterJob {
  readonly lib: "kesu" | "emmett";
  readonly path: string;
  readonly writers: readonly (readonly WriterAppend[])[];
}

/** What one thread reports. */
export interface WriterResult {
  /** Per writer, per append. */
  outcomes: { readonly ok: boolean; readonly error?: string }[][];
  /** Ids of the events whose append succeeded. */
  written: string[];
  /** Errors the process caught at the top: nobody was listening for them. */
  uncaught?: string[];
}

/** An error as a short label: its name, its code when it has one, and its message's start. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  // Messages that name ids or versions would split identical failures into many labels.
  const message = error.message
    .replace(/^SQLITE_\w+: /, "")
    .replace(/[0-9A-Z]{26}|\d+/g, "…")
    .slice(0, 70);
  return `${error.name}${code === undefined ? "" : ` ${String(code)}`}: ${message}`;
}

const loader = new URL("../loader/register.mjs", import.meta.url).href;
const script = fileURLToPath(new URL("./sqliteWriter.ts", import.meta.url));

/**
 * Starts one process per entry of `processes`, lets them all open their stores, then tells
 * them all to go; resolves with every process's report.
 */
export async function runWriterThreads(
  lib: WriterJob["lib"],
  path: string,
  processes: readonly (readonly (readonly WriterAppend[])[])[],
): Promise<WriterResult[]> {
  const children = processes.map((writers) => {
    // Emmett's SQLite connection logs every failed transaction to stdout: keep it out of the report.
    const child = fork(script, [], {
      execArgv: ["--import", loader],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "advanced",
    });
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const done = new Promise<WriterResult>((resolve, reject) => {
      child.on("message", (message: { ready?: boolean; done?: boolean; result?: WriterResult }) => {
        if (message.ready) markReady();
        if (message.done && message.result) resolve(message.result);
      });
      child.on("error", reject);
      child.on("exit", (code) => {
        markReady();
        if (code !== 0)
          reject(new Error(`a writer process ended (${code ?? "killed after 45 s"}) before reporting`));
      });
    });
    child.send({ lib, path, writers } satisfies WriterJob);
    return { child, ready, done };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const c of children) c.child.send({ go: true });
  // A writer whose driver call never settles would hold the check forever.
  const timer = setTimeout(() => {
    for (const c of children) c.child.kill("SIGKILL");
  }, 45_000);
  try {
    return await Promise.all(children.map((c) => c.done));
  } finally {
    clearTimeout(timer);
  }
}
