import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testConfig } from '../../../test/support/database.ts';
import { openDatabase, type Database } from '../../platform/index.ts';
import { AuditService } from './audit.service.ts';
import { eventHash } from './audit.chain.ts';

const ACTOR = { label: 'system:test' };

/** A fresh database with a chain of `n` events and a signed checkpoint at its head. */
async function chain(n: number, now?: () => Date) {
  const testDb = await createTestDatabase();
  const database = await openDatabase(testDb.config);
  // Chained when asked (seal, checkpoint, a listing), not after each write: the chain is built in one round.
  const audit = new AuditService(
    database.db,
    { ...testConfig(testDb).audit, seal: { delayMs: 60_000, afterWrites: false } },
    now,
  );
  for (let i = 1; i <= n; i += 1) {
    await audit.append(database.db, {
      actor: ACTOR,
      action: 'test.step',
      target: { kind: 'step', id: String(i) },
      details: { i },
    });
  }
  await audit.seal();
  return {
    database,
    audit,
    testDb,
    close: async () => {
      await database.close();
      await testDb.drop();
    },
  };
}

/** Tampering needs the refusing trigger off, as an intruder with the table owner's rights would. */
async function tamper(database: Database, ...statements: Array<ReturnType<typeof sql>>): Promise<void> {
  await sql`alter table audit_event disable trigger audit_event_append_only`.execute(database.db);
  for (const statement of statements) {
    await statement.execute(database.db);
  }
  await sql`alter table audit_event enable trigger audit_event_append_only`.execute(database.db);
}

describe('the audit chain', () => {
  it('verifies an intact chain and refuses to change or delete an event', async () => {
    const c = await chain(5);
    try {
      expect(await c.audit.verify()).toMatchObject({ ok: true, events: 5, lastSeq: 5, checkpoints: 0 });
      await expect(
        sql`update audit_event set action = 'x' where seq = 2`.execute(c.database.db),
      ).rejects.toThrow(/append-only: UPDATE of event 2 refused/);
      await expect(sql`delete from audit_event where seq = 5`.execute(c.database.db)).rejects.toThrow(
        /append-only: DELETE of event 5 refused/,
      );
      await expect(sql`truncate audit_event`.execute(c.database.db)).rejects.toThrow(/truncate refused/);
      expect(await c.audit.verify()).toMatchObject({ ok: true, events: 5 });
    } finally {
      await c.close();
    }
  });

  it('finds an edited middle event', async () => {
    const c = await chain(6);
    try {
      await tamper(c.database, sql`update audit_event set details = '{"i": 99}' where seq = 3`);
      expect(await c.audit.verify()).toEqual({
        ok: false,
        seq: 3,
        problem: 'event 3 was altered: its content does not match its hash',
        reason: { key: 'audit.problem.altered', params: { seq: 3 } },
        events: 2,
      });
    } finally {
      await c.close();
    }
  });

  it('finds a deleted event', async () => {
    const c = await chain(6);
    try {
      await tamper(c.database, sql`delete from audit_event where seq = 4`);
      expect(await c.audit.verify()).toMatchObject({
        ok: false,
        seq: 4,
        problem: 'event 4 is missing: the chain jumps from 3 to 5',
      });
    } finally {
      await c.close();
    }
  });

  it('finds two swapped events', async () => {
    const c = await chain(6);
    try {
      await tamper(
        c.database,
        sql`update audit_event set seq = 1000 where seq = 2`,
        sql`update audit_event set seq = 2 where seq = 3`,
        sql`update audit_event set seq = 3 where seq = 1000`,
      );
      expect(await c.audit.verify()).toMatchObject({
        ok: false,
        seq: 2,
        problem: 'event 2 does not link to event 1: its previous hash differs',
      });
    } finally {
      await c.close();
    }
  });

  it('finds a cut tail through the signed checkpoint, even with the head moved back', async () => {
    const c = await chain(6);
    try {
      const cp = await c.audit.checkpoint({ kind: 'system', name: 'test' });
      // The head it signs is the chain before it: the checkpoint's own event is chained after (7).
      expect(cp.seq).toBe(6);
      await tamper(c.database, sql`delete from audit_event where seq > 4`);
      await sql`update audit_head set seq = 4, hash = (select hash from audit_event where seq = 4)`.execute(
        c.database.db,
      );
      expect(await c.audit.verify()).toMatchObject({
        ok: false,
        seq: 5,
        problem: expect.stringMatching(
          /^the checkpoint signed at .* covers event 6, but the chain ends at 4: its tail was cut$/,
        ) as unknown,
      });
    } finally {
      await c.close();
    }
  });

  it('finds a chain rewritten and recomputed wholesale', async () => {
    const c = await chain(4);
    try {
      await c.audit.checkpoint({ kind: 'system', name: 'test' });
      // Rewrite event 2 and recompute every hash after it, head included: internally consistent.
      // The listing reads newest first; the rewrite goes in chain order.
      const rows = (await c.audit.query({ kind: 'system', name: 'test' }, { limit: 100 })).reverse();
      let prev = rows[0]?.hash ?? '';
      for (const row of rows.slice(1)) {
        const details = row.seq === 2 ? { i: 'rewritten' } : row.details;
        const hash = eventHash({ ...row, details, prevHash: prev });
        await tamper(
          c.database,
          sql`update audit_event set details = ${JSON.stringify(details)}::jsonb, prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`,
        );
        prev = hash;
      }
      const last = rows[rows.length - 1];
      await sql`update audit_head set seq = ${last?.seq ?? 0}, hash = ${prev}`.execute(c.database.db);
      // The audit.read event appended by the query above comes after the rewritten rows.
      await tamper(c.database, sql`delete from audit_event where seq > ${last?.seq ?? 0}`);
      // The checkpoint signed the head through event 4, whose hash the rewrite changed.
      expect(await c.audit.verify()).toMatchObject({
        ok: false,
        seq: 4,
        problem: expect.stringMatching(
          /^event 4 differs from the checkpoint signed at .*: the chain was rewritten$/,
        ) as unknown,
      });
    } finally {
      await c.close();
    }
  });

  it('does not trust a forged archive record used to delete the whole chain', async () => {
    const c = await chain(4);
    try {
      const db = c.database.db;
      await sql`insert into audit_archive (through_seq, last_hash, file_digest, event_count)
        select seq, hash, 'forged', seq from audit_head`.execute(db);
      await db.transaction().execute(async (trx) => {
        await sql`select set_config('xinyong.audit_prune', 'on', true)`.execute(trx);
        await sql`delete from audit_event`.execute(trx);
      });
      expect(await c.audit.verify()).toMatchObject({
        ok: false,
        seq: 4,
        problem:
          "the archive record through event 4 does not carry a valid signature of one of this platform's keys",
      });
      await expect(sql`delete from audit_archive`.execute(db)).rejects.toThrow(
        /audit archives are append-only/,
      );
    } finally {
      await c.close();
    }
  });

  it('refuses a checkpoint file that was edited', async () => {
    const c = await chain(2);
    try {
      await c.audit.checkpoint({ kind: 'system', name: 'test' });
      const file = testConfig(c.testDb).audit.checkpointFile;
      const line = JSON.parse((await fs.readFile(file, 'utf8')).trim()) as { seq: number };
      await fs.writeFile(file, `${JSON.stringify({ ...line, seq: 1 })}\n`);
      expect(await c.audit.verify()).toMatchObject({
        ok: false,
        problem: expect.stringMatching(
          /^checkpoint file line 1 \(event 1\) does not carry a valid signature of one of this platform's keys \(key [0-9a-f]{16}: the signature does not match the content: it has been changed since it was signed\)$/,
        ) as unknown,
      });
    } finally {
      await c.close();
    }
  });

  it('archives only a signed prefix older than the retention period, then prunes exactly that', async () => {
    let now = new Date();
    const c = await chain(5, () => now);
    try {
      const out = path.join(c.testDb.filesDir, 'archive-1.jsonl');
      const early = await c.audit
        .archive({ kind: 'system', name: 'test' }, out, new Date().toISOString())
        .catch((err: unknown) => err);
      expect(early).toMatchObject({ rule: 'audit.retention' });
      now = new Date(Date.now() + 1826 * 86_400_000); // five years on
      const result = await c.audit.archive({ kind: 'system', name: 'test' }, out);
      expect(result).toMatchObject({ fromSeq: 1, throughSeq: 5, events: 5 });
      const lines = (await fs.readFile(out, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(6);
      expect(JSON.parse(lines[5] ?? '{}')).toMatchObject({
        manifest: { fromSeq: 1, throughSeq: 5, count: 5 },
        signature: expect.any(String) as unknown,
      });
      await c.audit.seal();
      const { rows } = await sql<{ n: number }>`select count(*) as n from audit_event`.execute(c.database.db);
      expect(rows[0]?.n).toBe(1); // the archive event itself
      expect(await c.audit.verify()).toMatchObject({ ok: true, events: 1, lastSeq: 6 });
      await expect(sql`delete from audit_event where seq = 6`.execute(c.database.db)).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await c.close();
    }
  });
});
