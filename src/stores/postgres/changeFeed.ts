import type { ChangeSignal } from "../subscription.js";
import type { SqlDriver } from "./driver.js";

/** How long to wait before listening again after the LISTEN connection was lost. */
const RELISTEN_MS = 1_000;

/** Wakes subscriptions: on NOTIFY from any process, and at once for appends made here. */
export interface ChangeFeed {
  readonly signal: ChangeSignal;
  /** Wakes the subscriptions of this process (an append here has committed). */
  notifyLocal(): void;
  close(): Promise<void>;
}

/**
 * A change feed on one LISTEN connection, opened while at least one subscription exists and
 * given back when the last one closes. When the connection is lost it listens again after a
 * pause; in between, and for any notification missed meanwhile, the subscriptions' slow poll
 * is the safety net.
 */
export function createChangeFeed(driver: SqlDriver, channel: string): ChangeFeed {
  const listeners = new Set<() => void>();
  let unlisten: Promise<(() => Promise<void>) | undefined> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const fire = () => {
    for (const notify of listeners) notify();
  };

  function start(): void {
    if (closed || unlisten || listeners.size === 0) return;
    const forget = () => {
      if (unlisten === mine) unlisten = undefined;
      scheduleStart();
    };
    const lost = () => {
      forget();
      fire(); // events may have been appended while nobody was listening
    };
    const mine = driver.listen(channel, fire, lost).then(
      (stopListening) => {
        // Notifications sent before LISTEN took effect are caught by this read.
        fire();
        return stopListening;
      },
      () => {
        forget();
        return undefined;
      },
    );
    unlisten = mine;
  }

  function scheduleStart(): void {
    if (closed || retry || listeners.size === 0) return;
    retry = setTimeout(() => {
      retry = undefined;
      start();
    }, RELISTEN_MS);
    retry.unref?.();
  }

  async function stop(): Promise<void> {
    if (retry) clearTimeout(retry);
    retry = undefined;
    const pending = unlisten;
    unlisten = undefined;
    const stopListening = await pending;
    await stopListening?.();
  }

  return {
    signal(notify) {
      listeners.add(notify);
      start();
      return () => {
        listeners.delete(notify);
        if (listeners.size === 0) void stop();
      };
    },
    notifyLocal: fire,
    async close() {
      closed = true;
      listeners.clear();
      await stop();
    },
  };
}
