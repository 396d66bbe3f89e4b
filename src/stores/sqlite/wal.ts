import type Database from "better-sqlite3";

/** SQLITE_BUSY and its extended codes: the lock was not free within the busy timeout. */
export const isBusy = (error: unknown) => {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
};

/**
 * Sets `busy_timeout` on a file kesu opened, then switches it to WAL. The timeout comes first:
 * switching the journal mode of a new file must wait for a concurrent opener. SQLite may even
 * answer SQLITE_BUSY there without calling the busy handler (another process is switching the
 * same new file to WAL), so the switch is tried again until the busy timeout has passed.
 */
export function switchToWal(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const giveUpAt = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= giveUpAt) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
