import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An append in one round trip on PostgreSQL. The application sends each event's canonical
 * JSON (computed for the version it expects the event to get); the function locks the
 * stream head, answers the stored rows of a retried batch, refuses a stale expected
 * version (SQLSTATE SV409, the head's version in DETAIL), links each event with
 * PostgreSQL's own sha256(prevHash ‖ canonical JSON), inserts the rows and moves the head.
 * The hash is the same one the application computes and the verifier checks.
 */
export class AppendFunction1764500001300 implements MigrationInterface {
  name = 'AppendFunction1764500001300';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type !== 'postgres') return;
    await runner.query(`CREATE FUNCTION append_events(
        p_stream_id TEXT, p_expected_version INTEGER, p_event_ids TEXT[], p_types TEXT[], p_data TEXT[],
        p_metadata TEXT[], p_recorded_at TEXT[], p_canonical TEXT[])
      RETURNS TABLE (duplicate BOOLEAN, "position" BIGINT, event_id VARCHAR, stream_id VARCHAR, version INTEGER,
        type VARCHAR, data TEXT, metadata TEXT, recorded_at VARCHAR, prev_hash CHAR(64), hash CHAR(64))
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        head_version INTEGER;
        head_hash CHAR(64);
        link CHAR(64);
        inserted BIGINT;
      BEGIN
        INSERT INTO streams AS s (stream_id, version, hash, last_position) VALUES (p_stream_id, 0, repeat('0', 64), 0)
          ON CONFLICT ON CONSTRAINT streams_pkey DO NOTHING;
        SELECT s.version, s.hash INTO head_version, head_hash FROM streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
        IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (p_event_ids)) THEN
          RETURN QUERY SELECT TRUE, e.position, e.event_id, e.stream_id, e.version, e.type, e.data, e.metadata,
              e.recorded_at, e.prev_hash, e.hash
            FROM events e WHERE e.event_id = ANY (p_event_ids) ORDER BY e.position;
          RETURN;
        END IF;
        IF head_version <> p_expected_version THEN
          RAISE EXCEPTION 'stream % is at version %, expected %', p_stream_id, head_version, p_expected_version
            USING ERRCODE = 'SV409', DETAIL = head_version::TEXT;
        END IF;
        FOR i IN 1 .. coalesce(array_length(p_event_ids, 1), 0) LOOP
          link := encode(sha256(convert_to(head_hash || p_canonical[i], 'UTF8')), 'hex');
          head_version := head_version + 1;
          INSERT INTO events (event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
            VALUES (p_event_ids[i], p_stream_id, head_version, p_types[i], p_data[i], p_metadata[i], p_recorded_at[i], head_hash, link)
            RETURNING events.position INTO inserted;
          RETURN QUERY SELECT FALSE, inserted, p_event_ids[i]::VARCHAR, p_stream_id::VARCHAR, head_version, p_types[i]::VARCHAR,
            p_data[i], p_metadata[i], p_recorded_at[i]::VARCHAR, head_hash, link;
          head_hash := link;
        END LOOP;
        UPDATE streams s SET version = head_version, hash = head_hash, last_position = inserted WHERE s.stream_id = p_stream_id;
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type !== 'postgres') return;
    await runner.query(`DROP FUNCTION append_events(TEXT, INTEGER, TEXT[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[])`);
  }
}
