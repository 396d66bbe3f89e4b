import cliProgress from "cli-progress";
import type { CliStream } from "./io.js";

/** A progress bar; a silent one when the stream is not a terminal (pipes, CI, tests). */
export interface Progress {
  start(total: number): void;
  update(value: number): void;
  setTotal(total: number): void;
  stop(): void;
}

/**
 * A `cli-progress` bar labelled `label`, drawn on `stream` only when it is a TTY, so redirected
 * output stays clean.
 */
export function progressBar(stream: CliStream, label: string): Progress {
  if (!stream.isTTY) return { start() {}, update() {}, setTotal() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(12)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: stream as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    start(total) {
      bar.start(Math.max(total, 1), 0);
      started = true;
    },
    update(value) {
      if (started) bar.update(value);
    },
    setTotal(total) {
      if (started) bar.setTotal(Math.max(total, 1));
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
