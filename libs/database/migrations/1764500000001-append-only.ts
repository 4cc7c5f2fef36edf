import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The database itself refuses to rewrite history: no UPDATE, DELETE or TRUNCATE on
 * events. Auditors can still detect tampering by someone who drops these triggers,
 * through the hash chain and signed digests.
 */
export class AppendOnlyEvents1764500000001 implements MigrationInterface {
  name = 'AppendOnlyEvents1764500000001';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') {
      await runner.query(`CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$`);
      await runner.query(`CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_refuse_change()`);
      await runner.query(`CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()`);
      return;
    }
    await runner.query(`CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END`);
    await runner.query(`CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END`);
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') {
      await runner.query(`DROP TRIGGER events_no_truncate ON events`);
      await runner.query(`DROP TRIGGER events_no_update_delete ON events`);
      await runner.query(`DROP FUNCTION events_refuse_change()`);
      return;
    }
    await runner.query(`DROP TRIGGER events_no_delete`);
    await runner.query(`DROP TRIGGER events_no_update`);
  }
}
