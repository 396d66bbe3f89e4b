import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ComplaintEvent,
  createEncryptedStore,
  createPostgresKeyStore,
  ERASED_PERSONAL_DATA,
  fold,
  forgetComplainant,
  initialState,
  type KeyQueryRunner,
  type PostgresKeyStore,
} from "../../src/index.js";
import { backend, openTestDatabase, type TestDatabase } from "../support/postgres.js";
import { COMPLAINANT, NAME, receiveAnonymous, runLifecycle, secretsIn } from "./lifecycle.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db?.close());

/** A real `pg` Pool on the server; the test database's own connection on PGlite. */
function runner(): KeyQueryRunner {
  if (db.onServer) return db.newPool({ max: 2 });
  return { query: async (text, params) => ({ rows: await db.sql(text, params) }) };
}

/** Events and keys in one schema: the worst case for a leaked dump. */
function open() {
  const schema = db.newSchema();
  const keys: PostgresKeyStore = createPostgresKeyStore({ db: runner(), schema });
  const store = createEncryptedStore(db.openStore({ schema }), keys);
  return { schema, keys, store };
}

/** Every row of every table in the schema, as text: what a dump of it would show. */
async function dump(schema: string): Promise<string> {
  const tables = await db.sql<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
    [schema],
  );
  expect(tables.map((t) => t.table_name)).toEqual(
    expect.arrayContaining(["events", "streams", "commands", "personal_data_keys"]),
  );
  const texts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await db.sql<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${table_name}" t`);
    texts.push(...rows.map((r) => r.row));
  }
  return texts.join("\n");
}

const personalDataOf = (events: readonly ComplaintEvent[]) =>
  events.flatMap((e) =>
    e.type === "ComplaintReceived" || e.type === "ComplainantContactChanged" ? [e.data.personalData] : [],
  );

describe(`personal data at rest in PostgreSQL (${backend})`, () => {
  it("R-36 no table holds the plaintext; forgetting deletes the key row and reads show erased", async () => {
    const { schema, keys, store } = open();
    const id = await runLifecycle(store);
    const opened = await store.readStream(id);
    expect(personalDataOf(opened)[0]).toMatchObject({ name: NAME });

    const before = await dump(schema);
    expect(secretsIn(before)).toEqual([]);
    expect(before).toContain('"sealed"');
    const count = () =>
      db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".personal_data_keys`);
    expect(await count()).toEqual([{ n: 1 }]);

    expect(await forgetComplainant(keys, COMPLAINANT)).toMatchObject({ keysDestroyed: 1 });
    await keys.purge();
    expect(await count()).toEqual([{ n: 0 }]);
    expect(secretsIn(await dump(schema))).toEqual([]);
    const after = await store.readStream(id);
    expect(personalDataOf(after)).toEqual([ERASED_PERSONAL_DATA, ERASED_PERSONAL_DATA]);
    expect(fold(initialState(id), after)).toEqual(fold(initialState(id), opened));
  });

  it("R-37 an anonymous complaint writes no key row", async () => {
    const { schema, keys, store } = open();
    await receiveAnonymous(store);
    expect(await keys.findKey("pdk_none")).toBeUndefined(); // the table exists from here on
    expect(await db.sql(`SELECT * FROM "${schema}".personal_data_keys`)).toEqual([]);
  });
});
