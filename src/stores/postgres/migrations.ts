import { quoteIdent, type SqlDriver } from "./driver.js";
import { sealUnsealedRows } from "./integrity.js";
import { type PostgresMigration, runMigrations } from "./migrationRunner.js";

/**
 * The schema, as an append-only list: released migrations are never edited, a change is a new
 * entry. Positions come from an identity column with the default sequence cache of 1 (a
 * larger cache hands blocks of positions to sessions and breaks position-ordered reading).
 */
const MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: "streams, events, commands, serials",
    statements: (s) => [
      `CREATE TABLE ${s}.streams (
        stream_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version >= 0),
        case_number text,
        stage text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      `CREATE INDEX streams_case_number ON ${s}.streams (case_number)`,
      `CREATE TABLE ${s}.events (
        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id text NOT NULL REFERENCES ${s}.streams (stream_id),
        version integer NOT NULL CHECK (version > 0),
        event_id text NOT NULL UNIQUE,
        type text NOT NULL,
        schema_version integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        actor jsonb NOT NULL,
        metadata jsonb NOT NULL,
        data jsonb NOT NULL,
        CONSTRAINT events_stream_version UNIQUE (stream_id, version)
      )`,
      `CREATE TABLE ${s}.commands (
        command_id text PRIMARY KEY,
        stream_id text NOT NULL REFERENCES ${s}.streams (stream_id),
        from_version integer NOT NULL,
        to_version integer NOT NULL,
        created_stream boolean NOT NULL
      )`,
      `CREATE TABLE ${s}.serials (
        scope text PRIMARY KEY,
        value bigint NOT NULL
      )`,
    ],
  },
  {
    // Tamper evidence: a content hash chained per stream and a digest chained over the log,
    // computed by the append under the append lock. Rows already there are sealed in position
    // order; then the columns become NOT NULL, so a writer that does not seal (an older kesu
    // still running during the upgrade) fails instead of leaving a gap in the chain.
    version: 2,
    name: "event seals: hash, prev_hash, chain",
    statements: (s) => [
      `ALTER TABLE ${s}.events ADD COLUMN hash text, ADD COLUMN prev_hash text, ADD COLUMN chain text`,
    ],
    backfill: async (tx, schema) => {
      await sealUnsealedRows(tx, schema);
      const s = quoteIdent(schema);
      await tx.query(
        `ALTER TABLE ${s}.events ALTER COLUMN hash SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL,
           ALTER COLUMN chain SET NOT NULL`,
      );
    },
  },
  {
    // The part of an append that runs under the append lock, as one function so that it costs
    // one round trip: take the lock, read the log's last digest, chain the batch's hashes (the
    // append computes them before, from the stream's locked head) and insert the events. Each
    // statement of a VOLATILE function takes a new snapshot, so the read after the lock sees the
    // previous holder's commit; in one plain statement it would not (its snapshot predates the
    // wait). The digest is `chainDigest` of integrity/seal.ts: the same bytes, hashed in SQL.
    version: 3,
    name: "append_events: lock, chain and insert in one call",
    statements: (s) => [
      `CREATE FUNCTION ${s}.append_events(
        lock_key text, stream text, after_version integer, docs jsonb, hashes text[], prev_hashes text[]
      ) RETURNS bigint[] LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        head text;
        chains text[] := '{}';
        link text;
        positions bigint[];
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended(lock_key, 0));
        SELECT e.chain INTO head FROM ${s}.events AS e ORDER BY e.position DESC LIMIT 1;
        head := coalesce(head, repeat('0', 64));
        FOREACH link IN ARRAY hashes LOOP
          head := encode(sha256(convert_to('kesu/log/v1' || chr(10) || head || chr(10) || link, 'UTF8')), 'hex');
          chains := chains || head;
        END LOOP;
        WITH inserted AS (
          INSERT INTO ${s}.events
            (stream_id, version, event_id, type, schema_version, occurred_at, recorded_at, actor, metadata,
             data, hash, prev_hash, chain)
          SELECT stream, after_version + e.i::integer, e.doc->>'id', e.doc->>'type',
            (e.doc->>'schemaVersion')::integer, (e.doc->>'occurredAt')::timestamptz,
            (e.doc->>'recordedAt')::timestamptz, e.doc->'actor', e.doc->'metadata', e.doc->'data',
            e.hash, e.prev_hash, e.chain
          FROM ROWS FROM (jsonb_array_elements(docs), unnest(hashes), unnest(prev_hashes), unnest(chains))
            WITH ORDINALITY AS e(doc, hash, prev_hash, chain, i)
          ORDER BY e.i
          RETURNING position, version
        )
        SELECT array_agg(inserted.position ORDER BY inserted.version) INTO positions FROM inserted;
        RETURN positions;
      END
      $fn$`,
    ],
  },
  {
    // The whole append as one function, called in autocommit: one round trip instead of seven
    // (BEGIN … COMMIT around six statements). In order: lock or create the stream's row (a
    // concurrent creator is waited for), answer an earlier append of the same command, check the
    // expected version, record the command, move the stream's row, queue the NOTIFY, hash the
    // events from the stream's head (its row is locked, so the head cannot move), and only then
    // take the append lock, read the log's last digest and insert. The lock is held for the
    // chain digests, the insert and the commit that follows the call.
    //
    // `envelopes` are the canonical JSON texts of the events' envelopes without `version`, the
    // key that sorts last: `,"version":N` is spliced before the closing brace once N is known, so
    // the hashed bytes are `canonicalJson(envelope)` of integrity/seal.ts exactly. The same texts
    // are parsed as jsonb for the columns. Each statement of a VOLATILE function takes a new
    // snapshot, so a statement after a wait sees what the writer waited for committed.
    // `append_events` (migration 3) stays: a process of the previous release still running
    // during an upgrade calls it, under the same locks and with the same digests.
    version: 4,
    name: "append_to_stream: the whole append in one call",
    statements: (s) => [
      `CREATE FUNCTION ${s}.append_to_stream(
        lock_key text, channel text, stream text, expected_kind text, expected_version integer,
        command text, first_recorded timestamptz, last_recorded timestamptz, case_no text, stage_name text,
        envelopes text[],
        OUT outcome text, OUT command_stream text, OUT first_version integer, OUT last_version integer,
        OUT created boolean, OUT positions bigint[]
      ) LANGUAGE plpgsql VOLATILE AS $fn$
      #variable_conflict use_column
      DECLARE
        actual integer;
        n integer := coalesce(cardinality(envelopes), 0);
        docs jsonb[];
        head text;
        hashes text[] := '{}';
        prev_hashes text[] := '{}';
        chains text[] := '{}';
        link text;
      BEGIN
        SELECT st.version INTO actual FROM ${s}.streams AS st WHERE st.stream_id = stream FOR UPDATE;
        -- With the row locked, a duplicate racing the first append has committed: it is found.
        SELECT 'duplicate', c.stream_id, c.from_version, c.to_version, c.created_stream
          INTO outcome, command_stream, first_version, last_version, created
          FROM ${s}.commands AS c WHERE c.command_id = command;
        IF FOUND THEN RETURN; END IF;
        IF actual IS NULL AND expected_kind <> 'stream-exists'
            AND (expected_kind <> 'version' OR expected_version = 0) THEN
          INSERT INTO ${s}.streams AS st (stream_id, version, created_at, updated_at)
            VALUES (stream, 0, first_recorded, first_recorded) ON CONFLICT (stream_id) DO NOTHING;
          IF FOUND THEN
            actual := 0;
            created := true;
          ELSE
            -- Another writer created the stream while we looked; it has committed by now.
            SELECT st.version INTO actual FROM ${s}.streams AS st WHERE st.stream_id = stream FOR UPDATE;
            SELECT 'duplicate', c.stream_id, c.from_version, c.to_version, c.created_stream
              INTO outcome, command_stream, first_version, last_version, created
              FROM ${s}.commands AS c WHERE c.command_id = command;
            IF FOUND THEN RETURN; END IF;
          END IF;
        END IF;
        actual := coalesce(actual, 0);
        created := coalesce(created, false); -- a SELECT INTO that finds nothing sets its targets to null
        IF NOT (CASE expected_kind
            WHEN 'any' THEN true
            WHEN 'no-stream' THEN actual = 0
            WHEN 'stream-exists' THEN actual > 0
            ELSE actual = expected_version END) THEN
          outcome := 'conflict';
          last_version := actual;
          RETURN;
        END IF;

        first_version := actual + 1;
        last_version := actual + n;
        docs := envelopes::jsonb[];
        INSERT INTO ${s}.commands (command_id, stream_id, from_version, to_version, created_stream)
          VALUES (command, stream, first_version, last_version, created);
        UPDATE ${s}.streams AS st SET version = last_version, updated_at = last_recorded,
            case_number = coalesce(case_no, st.case_number), stage = coalesce(stage_name, st.stage)
          WHERE st.stream_id = stream;
        PERFORM pg_notify(channel, stream);
        IF actual > 0 THEN
          SELECT e.hash INTO head FROM ${s}.events AS e WHERE e.stream_id = stream AND e.version = actual;
        END IF;
        head := coalesce(head, repeat('0', 64));
        FOR i IN 1..n LOOP
          prev_hashes := prev_hashes || head;
          head := encode(sha256(convert_to('kesu/event/v1' || chr(10) || head || chr(10)
            || left(envelopes[i], -1) || ',"version":' || (actual + i)::text || '}', 'UTF8')), 'hex');
          hashes := hashes || head;
        END LOOP;

        -- Last, so that it is held as briefly as possible: until the commit after this call.
        PERFORM pg_advisory_xact_lock(hashtextextended(lock_key, 0));
        SELECT e.chain INTO head FROM ${s}.events AS e ORDER BY e.position DESC LIMIT 1;
        head := coalesce(head, repeat('0', 64));
        FOREACH link IN ARRAY hashes LOOP
          head := encode(sha256(convert_to('kesu/log/v1' || chr(10) || head || chr(10) || link, 'UTF8')), 'hex');
          chains := chains || head;
        END LOOP;
        WITH inserted AS (
          INSERT INTO ${s}.events
            (stream_id, version, event_id, type, schema_version, occurred_at, recorded_at, actor, metadata,
             data, hash, prev_hash, chain)
          SELECT stream, actual + e.i::integer, e.doc->>'id', e.doc->>'type',
            (e.doc->>'schemaVersion')::integer, (e.doc->>'occurredAt')::timestamptz,
            (e.doc->>'recordedAt')::timestamptz, e.doc->'actor', e.doc->'metadata', e.doc->'data',
            e.hash, e.prev_hash, e.chain
          FROM ROWS FROM (unnest(docs), unnest(hashes), unnest(prev_hashes), unnest(chains))
            WITH ORDINALITY AS e(doc, hash, prev_hash, chain, i)
          ORDER BY e.i
          RETURNING position, version
        )
        SELECT array_agg(inserted.position ORDER BY inserted.version) INTO positions FROM inserted;
        outcome := 'appended';
      END
      $fn$`,
    ],
  },
  {
    // Several appends in one transaction, so concurrent appends of one process share one commit
    // (group commit). Each member is what `append_to_stream` does for one append, answered in
    // the arrays it returns (index k for member k): 'appended', 'duplicate' or 'conflict', with
    // the same fields. Members are flattened: `event_counts[k]` envelopes of `envelopes` belong
    // to member k, in order. `positions` holds the appended events' positions, member by member.
    //
    // Locks are taken in the order deadlocks cannot form: first every member's stream row, in
    // the order the members come (the caller sorts them by stream), then the append lock, once,
    // for the chain digests, the insert of every appended event and the commit. A single append
    // takes one row lock and then the append lock, so no holder of the append lock ever waits
    // for a row. A member's hashes start from its stream's last event, which may be an earlier
    // member's (not inserted yet: looked up among the hashes of this call first).
    version: 5,
    name: "append_group: several appends, one commit",
    statements: (s) => [
      `CREATE FUNCTION ${s}.append_group(
        lock_key text, channel text, stream_ids text[], expected_kinds text[], expected_versions integer[],
        command_ids text[], first_recorded timestamptz[], last_recorded timestamptz[], case_nos text[],
        stage_names text[], event_counts integer[], envelopes text[],
        OUT outcomes text[], OUT command_streams text[], OUT first_versions integer[],
        OUT last_versions integer[], OUT createds boolean[], OUT positions bigint[]
      ) LANGUAGE plpgsql VOLATILE AS $fn$
      #variable_conflict use_column
      DECLARE
        members integer := coalesce(cardinality(stream_ids), 0);
        base integer := 0;
        n integer;
        stream text;
        actual integer;
        created boolean;
        earlier integer;
        c_stream text;
        c_from integer;
        c_to integer;
        c_created boolean;
        head text;
        ev_streams text[] := '{}';
        ev_versions integer[] := '{}';
        ev_texts text[] := '{}';
        hashes text[] := '{}';
        prev_hashes text[] := '{}';
        chains text[] := '{}';
        link text;
      BEGIN
        -- Sized up front: assigning element k of an empty array would make an array that starts at k.
        outcomes := array_fill(NULL::text, ARRAY[members]);
        command_streams := array_fill(NULL::text, ARRAY[members]);
        first_versions := array_fill(NULL::integer, ARRAY[members]);
        last_versions := array_fill(NULL::integer, ARRAY[members]);
        createds := array_fill(NULL::boolean, ARRAY[members]);
        FOR k IN 1..members LOOP
          stream := stream_ids[k];
          n := event_counts[k];
          created := false;
          SELECT st.version INTO actual FROM ${s}.streams AS st WHERE st.stream_id = stream FOR UPDATE;
          SELECT c.stream_id, c.from_version, c.to_version, c.created_stream
            INTO c_stream, c_from, c_to, c_created
            FROM ${s}.commands AS c WHERE c.command_id = command_ids[k];
          IF NOT FOUND AND actual IS NULL AND expected_kinds[k] <> 'stream-exists'
              AND (expected_kinds[k] <> 'version' OR expected_versions[k] = 0) THEN
            INSERT INTO ${s}.streams AS st (stream_id, version, created_at, updated_at)
              VALUES (stream, 0, first_recorded[k], first_recorded[k]) ON CONFLICT (stream_id) DO NOTHING;
            IF FOUND THEN
              actual := 0;
              created := true;
            ELSE
              -- Another writer created the stream while we looked; it has committed by now.
              SELECT st.version INTO actual FROM ${s}.streams AS st WHERE st.stream_id = stream FOR UPDATE;
              SELECT c.stream_id, c.from_version, c.to_version, c.created_stream
                INTO c_stream, c_from, c_to, c_created
                FROM ${s}.commands AS c WHERE c.command_id = command_ids[k];
            END IF;
          END IF;
          IF c_stream IS NOT NULL THEN
            outcomes[k] := 'duplicate';
            command_streams[k] := c_stream;
            first_versions[k] := c_from;
            last_versions[k] := c_to;
            createds[k] := c_created;
          ELSE
            actual := coalesce(actual, 0);
            IF NOT (CASE expected_kinds[k]
                WHEN 'any' THEN true
                WHEN 'no-stream' THEN actual = 0
                WHEN 'stream-exists' THEN actual > 0
                ELSE actual = expected_versions[k] END) THEN
              outcomes[k] := 'conflict';
              last_versions[k] := actual;
            ELSE
              outcomes[k] := 'appended';
              first_versions[k] := actual + 1;
              last_versions[k] := actual + n;
              createds[k] := created;
              INSERT INTO ${s}.commands (command_id, stream_id, from_version, to_version, created_stream)
                VALUES (command_ids[k], stream, actual + 1, actual + n, created);
              UPDATE ${s}.streams AS st SET version = actual + n, updated_at = last_recorded[k],
                  case_number = coalesce(case_nos[k], st.case_number), stage = coalesce(stage_names[k], st.stage)
                WHERE st.stream_id = stream;
              PERFORM pg_notify(channel, stream);
              head := NULL;
              earlier := (SELECT max(p) FROM unnest(array_positions(ev_streams, stream)) AS p);
              IF earlier IS NOT NULL THEN
                head := hashes[earlier];
              ELSIF actual > 0 THEN
                SELECT e.hash INTO head FROM ${s}.events AS e WHERE e.stream_id = stream AND e.version = actual;
              END IF;
              head := coalesce(head, repeat('0', 64));
              FOR i IN 1..n LOOP
                prev_hashes := prev_hashes || head;
                head := encode(sha256(convert_to('kesu/event/v1' || chr(10) || head || chr(10)
                  || left(envelopes[base + i], -1) || ',"version":' || (actual + i)::text || '}', 'UTF8')), 'hex');
                hashes := hashes || head;
                ev_streams := ev_streams || stream;
                ev_versions := ev_versions || (actual + i);
                ev_texts := ev_texts || envelopes[base + i];
              END LOOP;
            END IF;
          END IF;
          c_stream := NULL;
          base := base + n;
        END LOOP;
        IF cardinality(hashes) = 0 THEN
          positions := '{}';
          RETURN;
        END IF;

        -- Last, so that it is held as briefly as possible: until the commit after this call.
        PERFORM pg_advisory_xact_lock(hashtextextended(lock_key, 0));
        SELECT e.chain INTO head FROM ${s}.events AS e ORDER BY e.position DESC LIMIT 1;
        head := coalesce(head, repeat('0', 64));
        FOREACH link IN ARRAY hashes LOOP
          head := encode(sha256(convert_to('kesu/log/v1' || chr(10) || head || chr(10) || link, 'UTF8')), 'hex');
          chains := chains || head;
        END LOOP;
        WITH inserted AS (
          INSERT INTO ${s}.events
            (stream_id, version, event_id, type, schema_version, occurred_at, recorded_at, actor, metadata,
             data, hash, prev_hash, chain)
          SELECT e.stream, e.version, e.doc->>'id', e.doc->>'type',
            (e.doc->>'schemaVersion')::integer, (e.doc->>'occurredAt')::timestamptz,
            (e.doc->>'recordedAt')::timestamptz, e.doc->'actor', e.doc->'metadata', e.doc->'data',
            e.hash, e.prev_hash, e.chain
          FROM ROWS FROM (unnest(ev_streams), unnest(ev_versions), unnest(ev_texts::jsonb[]), unnest(hashes),
              unnest(prev_hashes), unnest(chains))
            WITH ORDINALITY AS e(stream, version, doc, hash, prev_hash, chain, i)
          ORDER BY e.i
          RETURNING position
        )
        SELECT array_agg(inserted.position ORDER BY inserted.position) INTO positions FROM inserted;
      END
      $fn$`,
    ],
  },
];

/** The schema version this release of kesu writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Creates the schema or brings it up to date, recording the versions in `migrations`; processes
 * that start together wait for each other (see {@link runMigrations}).
 * @throws SchemaTooNewError when the database was migrated by a newer kesu.
 */
export async function migrate(driver: SqlDriver, schema: string): Promise<void> {
  await runMigrations(driver, schema, { table: "migrations", migrations: MIGRATIONS });
}
