import { readFileSync } from "node:fs";

/** One stored event as a fixture file holds it: the full envelope, in the shape of its release. */
export interface StoredEvent {
  readonly id: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: unknown;
  readonly metadata: unknown;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
}

/** The v1 streams, by file name. */
export const V1_FILES = ["tobacco-quality.v1.json", "inquiry-answered.v1.json", "withdrawn.v1.json"] as const;
/** A stream whose last event was written by a kesu newer than this one. */
export const NEWER_FILE = "written-by-newer-kesu.v3.json";

/** Reads a fixture file: the events of one stream, in version order. */
export function loadFixture(file: string): StoredEvent[] {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as StoredEvent[];
}
