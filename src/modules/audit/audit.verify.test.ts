import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import type { VerificationView as Verification } from './audit.presenter.ts';
import { AuditService } from './audit.service.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

const verify = (cookie?: string, language?: string) =>
  t.app.inject({
    method: 'GET',
    url: '/api/audit/verify',
    headers: {
      ...(cookie === undefined ? {} : { cookie }),
      ...(language === undefined ? {} : { 'accept-language': language }),
    },
  });

describe('GET /api/audit/verify', () => {
  it('tells an auditor the chain is intact: its head, events and checkpoints, and records the verification', async () => {
    const cp = await t.container.audit.checkpoint({ kind: 'system', name: 'test' });
    const cookie = await sessionCookie(t.app, 'auditor');
    const res = await verify(cookie);
    expect(res.statusCode).toBe(200);
    const body = res.json<Verification>();
    const { rows } = await sql<{
      seq: number;
      hash: string;
    }>`select seq, hash from audit_event where seq = ${cp.seq}`.execute(t.container.database.db);
    expect(body).toEqual({
      ok: true,
      eventsVerified: expect.any(Number) as unknown,
      // The checkpoint signed the head before its own event (cp.seq + 1); the sign-in came after
      // that; the verification's own event after the head.
      head: { seq: cp.seq + 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
      brokenLink: null,
      checkpoints: {
        verified: expect.any(Number) as unknown,
        file: t.container.config.audit.checkpointFile,
        keyId: cp.keyId,
        latest: { seq: cp.seq, hash: rows[0]?.hash, signedAt: cp.signedAt },
      },
      unsealed: { events: 0, oldest: null, ageMs: null },
    });
    expect(body.eventsVerified).toBe(body.head?.seq);
    expect(body.checkpoints.verified).toBeGreaterThanOrEqual(1);

    const [event] = await t.container.audit.query(
      { kind: 'system', name: 'test' },
      { action: 'audit.verify', limit: 1 },
    );
    expect(event).toMatchObject({
      seq: cp.seq + 3,
      actor: 'user:auditor',
      details: { ok: true, events: body.eventsVerified, throughSeq: cp.seq + 2 },
    });
  });

  it('reports events written but not yet chained, and how long they have waited', async () => {
    const cookie = await sessionCookie(t.app, 'auditor');
    // A writer whose events wait: nothing chains them after the write.
    const waiting = new AuditService(t.container.database.db, {
      ...t.container.config.audit,
      seal: { delayMs: 60_000, afterWrites: false },
    });
    await waiting.append(t.container.database.db, {
      actor: { label: 'system:test' },
      action: 'test.waiting',
    });
    const body = (await verify(cookie)).json<Verification>();
    expect(body.ok).toBe(true);
    expect(body.unsealed).toMatchObject({ events: 1, oldest: expect.stringMatching(/Z$/) as unknown });
    expect(body.unsealed.ageMs).toBeGreaterThanOrEqual(0);
    // The verification's own event was written by the platform's writer, which chains after writes.
    expect((await verify(cookie)).json<Verification>().unsealed.events).toBe(0);
  });

  it('answers a data clerk, and anyone signed out, as if there were nothing there', async () => {
    const denied = await verify(await sessionCookie(t.app, 'clerk.scjg'));
    const anonymous = await verify();
    expect(denied.statusCode).toBe(404);
    expect(anonymous.statusCode).toBe(404);
    expect(denied.body).toBe(anonymous.body);
    expect(denied.body).toBe(JSON.stringify({ error: 'not_found', message: 'Not found or no access' }));
  });

  it('names the first broken link once an event was altered', async () => {
    const cookie = await sessionCookie(t.app, 'auditor');
    const db = t.container.database.db;
    // As an intruder with the table owner's rights would: the append-only trigger off, then back on.
    await sql`alter table audit_event disable trigger audit_event_append_only`.execute(db);
    await sql`update audit_event set actor = 'user:someone-else' where seq = 2`.execute(db);
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(db);
    const res = await verify(cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json<Verification>()).toMatchObject({
      ok: false,
      eventsVerified: 1,
      head: null,
      brokenLink: { seq: 2, problem: 'event 2 was altered: its content does not match its hash' },
      checkpoints: { verified: null },
    });
    const [event] = await t.container.audit.query(
      { kind: 'system', name: 'test' },
      { action: 'audit.verify', limit: 1 },
    );
    // The event records the problem in English; an auditor reading Chinese is told it in Chinese.
    expect(event?.details).toMatchObject({
      ok: false,
      brokenAt: 2,
      problem: 'event 2 was altered: its content does not match its hash',
    });
    expect((await verify(cookie, 'zh-CN')).json<Verification>().brokenLink).toEqual({
      seq: 2,
      problem: '事件 2 已被篡改：其内容与其哈希不符',
    });
  });
});
