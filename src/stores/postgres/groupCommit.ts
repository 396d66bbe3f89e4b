import type { AppendResult } from "../eventStore.js";
import { appendGroup, type GroupOutcome, type PendingAppend, type StoreSchema } from "./append.js";
import type { SqlRunner } from "./driver.js";

/** At most this many appends share one transaction. */
const MAX_GROUP = 64;

/**
 * Group commit for one store: appends made while another append of this store is on its way to
 * the database wait for it, then go together as one `append_group` call, one transaction and one
 * commit. Appends to a schema commit one at a time anyway (they queue for the append lock that
 * keeps positions in commit order), so a process's concurrent appends share the commit's wait
 * for the disk instead of each paying it in turn. An append made while none is on its way goes
 * at once, alone, through `single`: one writer sees no extra latency.
 *
 * Each append is answered as if it had been made alone. When a group call fails as a whole (a
 * member the database rejects, a deadlock with another process), nothing of it was written and
 * its members are retried one by one through `single`, so one bad append fails alone.
 */
export function createGroupCommit(
  db: SqlRunner,
  t: StoreSchema,
  single: (append: PendingAppend) => Promise<AppendResult>,
): (append: PendingAppend) => Promise<AppendResult> {
  const queue: { append: PendingAppend; settle: (outcome: GroupOutcome) => void }[] = [];
  let running = false;

  const attempt = (append: PendingAppend): Promise<GroupOutcome> =>
    single(append).then(
      (result) => ({ ok: true, result }),
      (error: unknown) => ({ ok: false, error }),
    );

  async function drain() {
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, MAX_GROUP);
        let outcomes: GroupOutcome[];
        if (batch.length === 1) outcomes = [await attempt(batch[0]!.append)];
        else {
          try {
            outcomes = await appendGroup(
              db,
              t,
              batch.map((waiting) => waiting.append),
            );
          } catch {
            outcomes = [];
            for (const waiting of batch) outcomes.push(await attempt(waiting.append));
          }
        }
        for (const [i, waiting] of batch.entries()) waiting.settle(outcomes[i]!);
      }
    } finally {
      running = false;
    }
  }

  return (append) =>
    new Promise<AppendResult>((resolve, reject) => {
      queue.push({
        append,
        settle: (outcome) => (outcome.ok ? resolve(outcome.result) : reject(outcome.error)),
      });
      if (!running) void drain();
    });
}
