import type { ComplaintId } from "../domain/ids.js";
import {
  type ComplaintListDoc,
  type ComplaintListPage,
  type ComplaintListQuery,
  type ComplaintListSla,
  compareRows,
  complaintListProjection,
  matchesQuery,
} from "./complaintList.js";
import type { Projection, ProjectionTarget } from "./projection.js";

/** The in-memory transaction: writes stay in an overlay until the commit. */
export interface MemoryListTx {
  /** The documents written in this batch, by stream. */
  readonly writes: Map<ComplaintId, ComplaintListDoc>;
  /** The batch began with a reset: documents not in `writes` are gone. */
  cleared: boolean;
}

/** An in-memory complaint list: the projection, its target, and queries. */
export interface MemoryComplaintList {
  /** The projection that keeps the list; give it to a projection runner. */
  readonly projection: Projection<MemoryListTx>;
  /** Where the list and its checkpoint are written; give it to a projection runner. */
  readonly target: ProjectionTarget<MemoryListTx>;
  /** A page of rows in list order (receipt, then case number) and the total matching. */
  query(query?: ComplaintListQuery): Promise<ComplaintListPage>;
  /** One complaint's document: its row, its state (folded from the events) and its events. */
  get(streamId: ComplaintId): Promise<ComplaintListDoc | undefined>;
}

/**
 * The complaint list kept in memory (for the memory store, tests and small apps). Each batch
 * is applied to an overlay and committed with its checkpoint, or not at all.
 * @example
 * const list = createMemoryComplaintList();
 * await createProjectionRunner({ store, ...list }).catchUp();
 * const { rows } = await list.query({ stage: "investigated", limit: 20 });
 */
export function createMemoryComplaintList(options: { sla?: ComplaintListSla } = {}): MemoryComplaintList {
  let docs = new Map<ComplaintId, ComplaintListDoc>();
  const checkpoints = new Map<string, number>();
  const projection = complaintListProjection<MemoryListTx>(
    {
      get: (tx, id) => tx.writes.get(id) ?? (tx.cleared ? undefined : docs.get(id)),
      put: (tx, doc) => void tx.writes.set(doc.row.streamId, doc),
      clear: (tx) => {
        tx.cleared = true;
        tx.writes.clear();
      },
    },
    { sla: options.sla },
  );
  return {
    projection,
    target: {
      async checkpoint(name) {
        return checkpoints.get(name) ?? 0;
      },
      async commit(name, position, work) {
        const tx: MemoryListTx = { writes: new Map(), cleared: false };
        await work(tx);
        // `work` only wrote to the overlay: nothing of a failed batch is visible.
        if (tx.cleared) docs = new Map();
        for (const [id, doc] of tx.writes) docs.set(id, doc);
        checkpoints.set(name, position);
      },
    },
    async query(query = {}) {
      const matching = [...docs.values()].map((d) => d.row).filter((row) => matchesQuery(row, query));
      matching.sort(compareRows);
      const offset = query.offset ?? 0;
      const rows = matching.slice(offset, offset + (query.limit ?? 50));
      return { rows, total: matching.length };
    },
    async get(streamId) {
      return docs.get(streamId);
    },
  };
}
