import type { RecordedEvent } from "../domain/events.js";
import type { EventStore, Subscription } from "../stores/eventStore.js";
import type { Projection, ProjectionTarget } from "./projection.js";

/** Options of {@link createProjectionRunner}. */
export interface ProjectionRunnerOptions<Tx> {
  /** The store whose global log feeds the projection. */
  readonly store: EventStore;
  /** Where the read model and its checkpoint are written, in one transaction per batch. */
  readonly target: ProjectionTarget<Tx>;
  /** What each event changes in the read model. */
  readonly projection: Projection<Tx>;
  /** Events per transaction (default 500). */
  readonly batchSize?: number | undefined;
  /** Called after each committed batch, e.g. for a progress bar. */
  readonly onProgress?: ((position: number, applied: number) => void) | undefined;
}

/** Runs one projection: catch up, follow, rebuild. */
export interface ProjectionRunner {
  /** Applies everything after the checkpoint; resolves with the new checkpoint and the count applied. */
  catchUp(): Promise<{ position: number; applied: number }>;
  /** Catches up, then follows new events until {@link ProjectionRunner.stop}. */
  start(): Promise<void>;
  /** Resolves when every event appended so far has been applied (while started). */
  idle(): Promise<void>;
  /** Stops following; resolves once the batch in progress has committed. */
  stop(): Promise<void>;
  /** Resets the read model and its checkpoint in one transaction, then catches up from zero. */
  rebuild(): Promise<{ position: number; applied: number }>;
}

/**
 * Feeds a projection from the store's global log with exactly-once effect: each batch and the
 * checkpoint after it commit together, so a crash between batches resumes from the checkpoint
 * without applying anything twice.
 * @example
 * const runner = createProjectionRunner({ store, target, projection: list.projection });
 * await runner.catchUp();
 */
export function createProjectionRunner<Tx>(options: ProjectionRunnerOptions<Tx>): ProjectionRunner {
  const { store, target, projection } = options;
  const batchSize = options.batchSize ?? 500;
  let subscription: Subscription | undefined;
  let applied = 0;

  async function commit(batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    if (!last) return;
    await target.commit(projection.name, last.position, (tx) => projection.apply(tx, batch));
    applied += batch.length;
    options.onProgress?.(last.position, applied);
  }

  async function catchUp() {
    let position = await target.checkpoint(projection.name);
    const before = applied;
    for (;;) {
      const batch = await store.readAll({ after: position, limit: batchSize });
      if (batch.length === 0) break;
      await commit(batch);
      position = batch[batch.length - 1]!.position;
    }
    return { position, applied: applied - before };
  }

  return {
    catchUp,
    async start() {
      if (subscription) return;
      const { position } = await catchUp();
      subscription = store.subscribe({ after: position, batchSize, onEvents: commit });
    },
    async idle() {
      await subscription?.caughtUp();
    },
    async stop() {
      const s = subscription;
      subscription = undefined;
      await s?.close();
    },
    async rebuild() {
      const wasRunning = subscription !== undefined;
      await this.stop();
      await target.commit(projection.name, 0, (tx) => projection.reset(tx));
      const result = await catchUp();
      if (wasRunning) await this.start();
      return result;
    },
  };
}
