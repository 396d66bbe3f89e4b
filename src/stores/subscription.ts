import type { RecordedEvent } from "../domain/events.js";
import type { EventStore, SubscribeOptions, Subscription } from "./eventStore.js";

/** How a store tells a subscription that new events may exist. Returns an unsubscribe function. */
export type ChangeSignal = (notify: () => void) => () => void;

/** A read that failed for a reason that passes (a dropped connection): retried, not fatal. */
class TransientReadError {
  constructor(readonly cause: unknown) {}
}

/** The first retry of a failed read waits this long, doubling up to {@link RETRY_MAX_MS}. */
const RETRY_MS = 50;
const RETRY_MAX_MS = 2_000;
/** How long `caughtUp()` waits through failed reads before it reports the last one, by default. */
const CAUGHT_UP_WAIT_MS = 10_000;

/** How a subscription treats reads that fail for a reason that passes. */
export interface SubscriptionRetry {
  /** Is this read failure passing (a dropped connection)? Such reads are retried with backoff. */
  readonly isTransient: (error: unknown) => boolean;
  /** How long `caughtUp()` waits for a failing read to succeed before it throws (default 10 000 ms). */
  readonly maxWaitMs?: number | undefined;
}

/**
 * A subscription built on `readAll`: it catches up from `after`, then reads again whenever the
 * store signals a change (and every `pollMs`, for writers in other processes). Batches are
 * delivered one at a time, in position order, each exactly once. Adapters share this.
 *
 * A read that fails with an error `retry.isTransient` accepts (a dropped connection) is retried
 * with backoff, from the same position, and delivery goes on; any other failure, and any error
 * the handler throws, stops the subscription (see `SubscribeOptions.onError`).
 */
export function createSubscription(
  readAll: EventStore["readAll"],
  options: SubscribeOptions,
  signal?: ChangeSignal,
  pollMs?: number,
  retry?: SubscriptionRetry,
): Subscription {
  let position = options.after ?? 0;
  const limit = options.batchSize ?? 500;
  let open = true;
  let failure: unknown;
  let running: Promise<void> | undefined;
  let again = false;
  /** The last read failure that is being retried, cleared by a read that succeeds. */
  let interrupted: TransientReadError | undefined;
  let failedReads = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  async function drain(): Promise<void> {
    for (;;) {
      if (!open) return;
      let batch: readonly RecordedEvent[];
      try {
        batch = await readAll({ after: position, limit });
      } catch (error) {
        throw retry?.isTransient(error) ? new TransientReadError(error) : error;
      }
      interrupted = undefined;
      failedReads = 0;
      if (batch.length === 0 || !open) return;
      await options.onEvents(batch);
      position = batch[batch.length - 1]!.position;
    }
  }

  const backoff = () => Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** Math.min(failedReads, 10));

  function kick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await drain();
        } while (again && open);
      } catch (error) {
        if (error instanceof TransientReadError) {
          interrupted = error;
          failedReads += 1;
          if (open && !retryTimer) {
            retryTimer = setTimeout(() => {
              retryTimer = undefined;
              void kick();
            }, backoff());
            retryTimer.unref?.();
          }
        } else {
          failure = error;
          open = false;
          if (options.onError) options.onError(error);
        }
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  const unsubscribe = signal ? signal(() => void kick()) : undefined;
  const timer = pollMs ? setInterval(() => void kick(), pollMs) : undefined;
  timer?.unref?.();
  void kick();

  return {
    async caughtUp() {
      // A drain that starts after this call sees every event appended before it.
      let waited = 0;
      for (;;) {
        while (running) await running;
        await kick();
        if (failure !== undefined && !options.onError) throw failure;
        if (!interrupted || !open) return;
        // The read failed and will be retried: wait for it, up to a bound, then report it.
        if (waited >= (retry?.maxWaitMs ?? CAUGHT_UP_WAIT_MS)) throw interrupted.cause;
        const pause = backoff();
        await new Promise((resolve) => setTimeout(resolve, pause));
        waited += pause;
      }
    },
    async close() {
      open = false;
      unsubscribe?.();
      if (timer) clearInterval(timer);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      while (running) await running;
    },
  };
}
