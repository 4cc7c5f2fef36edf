import { databaseCases, uniqueSuffix } from '../../test/support/databases.js';
import type { SqlClient } from './index.js';

/**
 * Every library writes through SqlClient: on PostgreSQL through the pg pool itself, on
 * SQLite through TypeORM. A transaction keeps all of its work or none of it, a refusal
 * reaches the caller with the database's own code, and a transaction that failed gives its
 * connection back, so the pool never runs dry.
 */
describe.each(databaseCases())('SqlClient on $name', (database) => {
  let db: SqlClient;
  let table: string;

  beforeAll(async () => {
    db = await database.open();
    // The PostgreSQL database is shared with other tests: a table of this test's own.
    table = `sql_client_${uniqueSuffix().toLowerCase()}`;
    await db.query(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL)`);
  });
  afterAll(async () => {
    await db.query(`DROP TABLE ${table}`);
    await db.close();
  });

  const notes = async () => (await db.query<{ note: string }>(`SELECT note FROM ${table} ORDER BY id`)).map((row) => row.note);

  it('keeps what a transaction wrote once it returns, and gives back what the work returned', async () => {
    const returned = await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (id, note) VALUES ($1, $2)`, [1, 'kept']);
      return (await tx.query<{ note: string }>(`SELECT note FROM ${table} WHERE id = $1`, [1]))[0].note;
    });

    expect(returned).toBe('kept');
    expect(await notes()).toEqual(['kept']);
  });

  it('keeps nothing of a transaction whose work fails, and rethrows the work’s own error', async () => {
    const failing = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (id, note) VALUES ($1, $2)`, [2, 'dropped']);
      throw new Error('the work changed its mind');
    });

    await expect(failing).rejects.toThrow('the work changed its mind');
    expect(await notes()).toEqual(['kept']);
  });

  it('reports a refused statement with the database’s code and keeps nothing of its transaction', async () => {
    const duplicate = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (id, note) VALUES ($1, $2)`, [3, 'dropped']);
      await tx.query(`INSERT INTO ${table} (id, note) VALUES ($1, $2)`, [1, 'duplicate']);
    });

    // 23505 is PostgreSQL's unique_violation; SQLite's driver names its constraint.
    await expect(duplicate).rejects.toMatchObject({ code: database.name === 'postgres' ? '23505' : 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await notes()).toEqual(['kept']);
  });

  it('gives the connection of every failed transaction back to the pool', async () => {
    // More failures than the pool has connections (20): one kept back would leave the last ones waiting forever.
    for (let attempt = 0; attempt < 25; attempt++) {
      await expect(db.transaction((tx) => tx.query(`SELECT * FROM ${table}_missing`))).rejects.toBeDefined();
    }
    const rows = await db.transaction((tx) => tx.query<{ note: string }>(`SELECT note FROM ${table} ORDER BY id`));
    expect(rows.map((row) => row.note)).toEqual(['kept']);
  });
});
