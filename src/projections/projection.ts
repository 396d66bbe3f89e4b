import type { RecordedEvent } from "../domain/events.js";

/**
 * A read model fed from the global log. `Tx` is the target's transaction handle (a SQL
 * connection inside BEGIN … COMMIT, or an in-memory overlay): everything `apply` writes commits
 * together with the projection's checkpoint, so each event takes effect exactly once.
 */
export interface Projection<Tx> {
  /** Unique name; the checkpoint is stored under it. */
  readonly name: string;
  /** Applies a batch of events, in position order. */
  apply(tx: Tx, events: readonly RecordedEvent[]): void | Promise<void>;
  /** Deletes everything the projection wrote, for a rebuild from zero. */
  reset(tx: Tx): void | Promise<void>;
}

/**
 * Where projections keep their read models and checkpoints. SQL stores implement it on their
 * own database so the read model and the checkpoint commit in one transaction.
 */
export interface ProjectionTarget<Tx> {
  /** The last position `name` applied (0 when it never ran). */
  checkpoint(name: string): Promise<number>;
  /**
   * Runs `work` and records `position` as the checkpoint of `name`, atomically: if `work`
   * throws, neither its writes nor the checkpoint are kept.
   */
  commit(name: string, position: number, work: (tx: Tx) => void | Promise<void>): Promise<void>;
}
