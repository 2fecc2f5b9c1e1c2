/** The sequencer: committed inbox events chained in order, once each, whatever stops a round. */
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { openDatabase, type Database } from '../../platform/index.ts';
import { GENESIS_HASH, verifyChain, type ChainEvent } from './audit.chain.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditSequencer, SEQUENCER_LOCK } from './audit.sequencer.ts';
import { AuditService } from './audit.service.ts';

let opened: Array<{ database: Database; testDb: TestDatabase }> = [];

afterEach(async () => {
  for (const { database, testDb } of opened) {
    await database.close();
    await testDb.drop();
  }
  opened = [];
});

async function open(): Promise<Database> {
  const testDb = await createTestDatabase();
  const database = await openDatabase(testDb.config);
  opened.push({ database, testDb });
  return database;
}

/** The database `database` opened, through a new pool on PostgreSQL (closed with the others). */
async function reopen(database: Database): Promise<Database> {
  const entry = opened.find((o) => o.database === database);
  if (database.kind !== 'postgresql' || entry === undefined) {
    return database;
  }
  const again = await openDatabase(entry.testDb.config);
  opened.unshift({ database: again, testDb: { ...entry.testDb, drop: () => Promise.resolve() } });
  return again;
}

/** Events written as actions write them: straight into the inbox, in transactions of their own. */
async function write(database: Database, n: number, from = 1): Promise<void> {
  for (let i = from; i < from + n; i += 500) {
    const count = Math.min(500, from + n - i);
    await database.db
      .insertInto('audit_inbox')
      .values(
        Array.from({ length: count }, (_, k) => ({
          occurred_at: new Date(Date.UTC(2026, 11, 1, 8, 0, 0) + i + k).toISOString().replace('Z', '123Z'),
          actor: 'system:test',
          actor_role: null,
          actor_department: null,
          action: 'test.step',
          target_kind: 'step',
          target_id: String(i + k),
          details: JSON.stringify({ i: i + k }),
        })),
      )
      .execute();
  }
}

async function chain(database: Database): Promise<ChainEvent[]> {
  const events: ChainEvent[] = [];
  for await (const e of new AuditRepository(database.db).stream(0)) {
    events.push(e);
  }
  return events;
}

async function verify(database: Database) {
  const head = await new AuditRepository(database.db).head();
  return verifyChain(await chain(database), { seq: 0, hash: GENESIS_HASH }, head, []);
}

/** Small rounds, so that a few hundred events take several. */
const options = { delayMs: 10_000, afterWrites: false, round: 100 };

describe('the audit sequencer', () => {
  it('chains every committed event in the inbox’s order, contiguous and verifiable, and empties the inbox', async () => {
    const database = await open();
    await write(database, 250);
    const sequencer = new AuditSequencer(database.db, options);
    const head = await sequencer.sealAll();
    expect(head.seq).toBe(250);
    expect(await verify(database)).toMatchObject({ ok: true, events: 250, lastSeq: 250 });
    const targets = (await chain(database)).map((e) => Number(e.targetId));
    expect(targets).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(await sequencer.pending()).toEqual({ events: 0, oldest: null });
  });

  it('resumes after a round killed half-way, with no gap and no event chained twice', async () => {
    const killed = await open();
    await write(killed, 250);
    let kills = 0;
    const killing = new AuditSequencer(killed.db, {
      ...options,
      // After the round's first rows are in the chain: the session is ended from outside on
      // PostgreSQL (as a killed process or a cut connection ends it), the round fails on PGlite.
      midRound: async (trx) => {
        kills += 1;
        if (killed.kind === 'postgresql') {
          const pid = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          const config = opened.at(-1)?.testDb.config;
          const admin = new pg.Client({ connectionString: config?.kind === 'postgresql' ? config.url : '' });
          await admin.connect();
          await admin.query('select pg_terminate_backend($1)', [pid.rows[0]?.pid]);
          await admin.end();
        }
        throw new Error('killed mid-round');
      },
    });
    await expect(killing.sealAll()).rejects.toThrow();
    expect(kills).toBe(1);
    // What follows reads through a pool of its own, as a restarted server would: the killed
    // session's connection may still sit in the first pool until it notices it is gone.
    const database = await reopen(killed);
    // Nothing of the killed round stayed: the chain is as it was, the inbox whole.
    expect(await new AuditRepository(database.db).head()).toEqual({ seq: 0, hash: GENESIS_HASH });
    expect((await sequencer(database).pending()).events).toBe(250);

    await write(database, 10, 251);
    await sequencer(database).sealAll();
    const events = await chain(database);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 260 }, (_, i) => i + 1));
    const inboxIds = await sql<{ n: number; distinct: number }>`
      select count(*) as n, count(distinct inbox_id) as distinct from audit_event`.execute(database.db);
    expect(inboxIds.rows[0]).toEqual({ n: 260, distinct: 260 });
    expect(await verify(database)).toMatchObject({ ok: true, events: 260 });
  });

  it('refuses to change or delete a waiting event, and to delete one that is not chained', async () => {
    const database = await open();
    await write(database, 2);
    await expect(sql`update audit_inbox set actor = 'someone:else'`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_inbox`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`select set_config('xinyong.audit_seal', 'on', true)`.execute(trx);
        await sql`delete from audit_inbox`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_inbox`.execute(database.db)).rejects.toThrow(/append-only/);
    expect((await sequencer(database).pending()).events).toBe(2);
  });

  it('keeps no event of an action that rolled back, and chains the one that committed', async () => {
    const database = await open();
    const audit = new AuditService(database.db, {
      keyFile: '/nonexistent/key.pem',
      checkpointFile: '/nonexistent/checkpoints.jsonl',
      retentionDays: 1825,
      seal: { delayMs: 10_000, afterWrites: true },
    });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await audit.append(trx, { actor: { label: 'system:test' }, action: 'test.rolled_back' });
        throw new Error('the action failed after writing its event');
      }),
    ).rejects.toThrow(/failed/);
    const { id } = await audit.append(database.db, { actor: { label: 'system:test' }, action: 'test.kept' });
    expect(id).toBeGreaterThan(0);
    await audit.seal();
    expect((await chain(database)).map((e) => e.action)).toEqual(['test.kept']);
    expect(await audit.sequencer.pending()).toEqual({ events: 0, oldest: null });
  });

  it.skipIf(process.env.TEST_DATABASE_URL === undefined)(
    'waits a bounded time while another process holds the sequencer, then answers with what is chained',
    async () => {
      const database = await open();
      const config = opened.at(-1)?.testDb.config;
      const other = new pg.Client({ connectionString: config?.kind === 'postgresql' ? config.url : '' });
      await other.connect();
      try {
        await other.query('select pg_advisory_lock($1)', [SEQUENCER_LOCK]);
        await write(database, 3);
        const head = await sequencer(database).sealAll(300);
        expect(head.seq).toBe(0);
        expect((await sequencer(database).pending()).events).toBe(3);
        await other.query('select pg_advisory_unlock($1)', [SEQUENCER_LOCK]);
        expect((await sequencer(database).sealAll()).seq).toBe(3);
      } finally {
        await other.end();
      }
    },
  );

  it('runs its rounds on its own, every delay', async () => {
    const database = await open();
    const running = new AuditSequencer(database.db, { delayMs: 50, afterWrites: false });
    running.start();
    await write(database, 3);
    await expect
      .poll(async () => (await new AuditRepository(database.db).head()).seq, { timeout: 5000 })
      .toBe(3);
    await running.stop();
  });
});

function sequencer(database: Database): AuditSequencer {
  return new AuditSequencer(database.db, options);
}
