import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { auditVerify } from '../../cli/audit.ts';
import { runHosted, type CliIo } from '../../cli/io.ts';
import { AuditService } from './audit.service.ts';
import { CHECKPOINT_LOCK } from './audit.repository.ts';
import { checkpointDue } from './audit.schedule.ts';

const SYSTEM = { kind: 'system', name: 'test' } as const;
const onPglite = inject('testDatabase').kind === 'pglite';

let t: TestApp;
/** The service under test, on the platform's database and files, with a clock the test moves. */
let audit: AuditService;
let clock = Date.now();

beforeAll(async () => {
  t = await createTestApp();
  audit = new AuditService(t.container.database.db, t.container.config.audit, () => new Date(clock));
});

afterAll(async () => {
  await t.close();
});

async function appendEvents(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await audit.append(t.container.database.db, { actor: { label: 'system:test' }, action: 'test.step' });
  }
}

async function headSeq(): Promise<number> {
  const { rows } = await sql<{ seq: number }>`select seq from audit_head`.execute(t.container.database.db);
  return Number(rows[0]?.seq);
}

describe('checkpointDue', () => {
  const since = new Date('2026-01-01T00:00:00Z');
  const at = (minutes: number) => new Date(since.getTime() + minutes * 60_000);

  it('is due at M events or N minutes, whichever comes first', () => {
    const schedule = { minutes: 60, events: 10 };
    expect(checkpointDue(schedule, 9, since, at(59))).toEqual({ due: false, reason: 'not_due' });
    expect(checkpointDue(schedule, 10, since, at(1))).toEqual({ due: true, trigger: 'events' });
    expect(checkpointDue(schedule, 1, since, at(60))).toEqual({ due: true, trigger: 'minutes' });
  });

  it('is never due with nothing new, however long ago the last checkpoint was', () => {
    expect(checkpointDue({ minutes: 60, events: 10 }, 0, since, at(10_000))).toEqual({
      due: false,
      reason: 'nothing_new',
    });
  });

  it('ignores a trigger set to 0', () => {
    expect(checkpointDue({ minutes: 0, events: 10 }, 9, since, at(10_000)).due).toBe(false);
    expect(checkpointDue({ minutes: 60, events: 0 }, 1_000_000, since, at(59)).due).toBe(false);
  });
});

describe('the scheduled checkpoint', () => {
  it('is signed after M events, and not again while only checkpoint events are new', async () => {
    const schedule = { minutes: 0, events: 5 };
    // A checkpoint an operator signs counts as the last one too.
    const manual = await audit.checkpoint(SYSTEM);
    expect(await audit.checkpointIfDue(schedule)).toEqual({
      outcome: 'skipped',
      reason: 'nothing_new',
      newEvents: 0,
    });
    await appendEvents(4);
    expect(await audit.checkpointIfDue(schedule)).toEqual({
      outcome: 'skipped',
      reason: 'not_due',
      newEvents: 4,
    });
    await appendEvents(1);
    const signed = await audit.checkpointIfDue(schedule);
    expect(signed).toMatchObject({ outcome: 'signed', trigger: 'events', newEvents: 5 });
    // It signs the chained head (the manual checkpoint's event and the five after it); its own
    // event, chained next, says who signed what and why.
    expect(signed.outcome === 'signed' && signed.checkpoint.seq).toBe(manual.seq + 6);
    const [event] = await audit.query(SYSTEM, { action: 'audit.checkpoint', limit: 1 });
    expect(event).toMatchObject({
      seq: manual.seq + 7,
      actor: 'system:checkpoint-schedule',
      details: { trigger: 'events', newEvents: 5, signed: { seq: manual.seq + 6 } },
    });

    // The listing just made is an event: one more is not yet due; without it nothing is new.
    expect(await audit.checkpointIfDue({ minutes: 0, events: 2 })).toMatchObject({ reason: 'not_due' });
    await audit.checkpoint(SYSTEM);
    const before = await headSeq();
    for (let i = 0; i < 3; i += 1) {
      expect(await audit.checkpointIfDue({ minutes: 1, events: 1 })).toMatchObject({
        outcome: 'skipped',
        reason: 'nothing_new',
      });
    }
    expect(await headSeq()).toBe(before);
  });

  it('is signed N minutes after the last one once anything is new, and not while nothing is', async () => {
    const schedule = { minutes: 60, events: 0 };
    clock = Date.now();
    await audit.checkpoint(SYSTEM);
    await appendEvents(1);
    expect(await audit.checkpointIfDue(schedule)).toMatchObject({ outcome: 'skipped', reason: 'not_due' });
    clock += 61 * 60_000;
    expect(await audit.checkpointIfDue(schedule)).toMatchObject({
      outcome: 'signed',
      trigger: 'minutes',
      newEvents: 1,
    });
    // Hours later, with nothing but that checkpoint new: an idle platform signs nothing.
    clock += 5 * 60 * 60_000;
    expect(await audit.checkpointIfDue(schedule)).toMatchObject({
      outcome: 'skipped',
      reason: 'nothing_new',
    });
    expect(await audit.checkpointIfDue({ minutes: 0, events: 0 })).toEqual({
      outcome: 'skipped',
      reason: 'off',
    });
  });

  it('holds its advisory lock for the signing transaction only', async () => {
    const db = t.container.database.db;
    const held = () => sql<{ n: number }>`
      select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${CHECKPOINT_LOCK}`;
    const during = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ got: boolean }>`
        select pg_try_advisory_xact_lock(${CHECKPOINT_LOCK}) as got`.execute(trx);
      return { got: rows[0]?.got, n: (await held().execute(trx)).rows[0]?.n };
    });
    expect(during).toEqual({ got: true, n: 1 });
    expect((await held().execute(db)).rows[0]?.n).toBe(0);
  });

  // PGlite is one connection, and a session's advisory lock never stands in its own way: another
  // holder of the lock exists only on PostgreSQL.
  it.skipIf(onPglite)('is not signed while another server holds the checkpoint lock', async () => {
    const { database } = t.container.config;
    if (database.kind !== 'postgresql') {
      throw new Error('PostgreSQL only');
    }
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [CHECKPOINT_LOCK]);
      await appendEvents(3);
      const before = await headSeq();
      expect(await audit.checkpointIfDue({ minutes: 0, events: 1 })).toEqual({
        outcome: 'skipped',
        reason: 'not_elected',
      });
      expect(await headSeq()).toBe(before);
      await other.query('select pg_advisory_unlock($1)', [CHECKPOINT_LOCK]);
      expect(await audit.checkpointIfDue({ minutes: 0, events: 1 })).toMatchObject({
        outcome: 'signed',
        trigger: 'events',
        newEvents: 3,
      });
    } finally {
      await other.end();
    }
  });

  it('leaves checkpoints that `xinyong audit verify` reports', async () => {
    const signed = (await audit.checkpointIfDue({ minutes: 0, events: 1 })).outcome;
    expect(signed).toBe('skipped'); // nothing new since the last test's checkpoint
    await appendEvents(1);
    expect((await audit.checkpointIfDue({ minutes: 0, events: 1 })).outcome).toBe('signed');
    const result = await audit.verify();
    if (!result.ok) {
      throw new Error(result.problem);
    }
    expect(result.lastSeq).toBe(await headSeq());
    expect(result.checkpoints).toBeGreaterThanOrEqual(onPglite ? 5 : 6);
    const lines: string[] = [];
    const io: CliIo = {
      stdout: () => undefined,
      stderr: () => undefined,
      errStream: process.stderr,
      cwd: '.',
    };
    const code = await runHosted(io, t.container, () =>
      auditVerify(t.container.config, false, (line) => lines.push(line)),
    );
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(
      new RegExp(
        `^ok: \\d+ events verified through event ${result.lastSeq} .*, ${result.checkpoints} signed checkpoints in `,
      ),
    );
  });
});
