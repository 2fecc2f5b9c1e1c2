import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { shippedBaseCatalog } from '../catalog/index.ts';
import { DEMO_PASSWORD, type Actor } from '../auth/index.ts';

let t: TestApp;
const ADMIN: Actor = { kind: 'system', name: 'test' };

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

async function head(): Promise<{ seq: number; action: string | null }> {
  const { rows } = await sql<{ seq: number; action: string | null }>`
    select h.seq, e.action from audit_head h left join audit_event e on e.seq = h.seq`.execute(
    t.container.database.db,
  );
  return rows[0] ?? { seq: -1, action: null };
}

/** Runs an action and returns the events it left: their actions, in order. */
async function eventsOf(action: () => Promise<unknown>): Promise<string[]> {
  const before = (await head()).seq;
  await action().catch(() => undefined);
  const { rows } = await sql<{
    action: string;
  }>`select action from audit_event where seq > ${before} order by seq`.execute(t.container.database.db);
  return rows.map((r) => r.action);
}

async function login(username: string, password = DEMO_PASSWORD) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
}

describe('every business action leaves exactly one event', () => {
  it('for each action the platform offers so far', async () => {
    const c = t.container;
    const penaltyChanged = structuredClone(shippedBaseCatalog()) as {
      items: Array<{ code: string; nameEn: string }>;
    };
    const penalty = penaltyChanged.items.find((i) => i.code === 'admin_penalty');
    if (penalty !== undefined) {
      penalty.nameEn = 'Administrative penalties';
    }
    let tokenId = 0;
    let session = '';
    const actions: Array<[string, () => Promise<unknown>]> = [
      [
        'calendar.load',
        () =>
          c.calendar.loadYearTable(
            { year: 2031, source: '测试', holidays: [{ date: '2031-01-01', name: '元旦' }] },
            { label: 'system:test' },
          ),
      ],
      ['catalog.load', () => c.catalog.load(penaltyChanged, { label: 'system:test' })],
      [
        'department.create',
        () =>
          c.auth.createDepartment(ADMIN, {
            code: 'FZ-HB',
            name: '福州市生态环境局',
            division: '350100',
            level: 'prefectural',
            uscc: '113501000036641603',
          }),
      ],
      [
        'institution.create',
        () => c.auth.createInstitution(ADMIN, { code: 'BANK-2', name: '某银行', kind: 'bank' }),
      ],
      [
        'user.create',
        () =>
          c.auth.createUser(ADMIN, {
            username: 'clerk.hb',
            displayName: '环保数据员',
            password: 'a long enough password',
            role: 'data_clerk',
            department: 'FZ-HB',
          }),
      ],
      [
        'auth.login',
        async () =>
          (session =
            String((await login('clerk.hb', 'a long enough password')).headers['set-cookie']).split(';')[0] ??
            ''),
      ],
      ['auth.login_failed', () => login('clerk.hb', 'wrong password')],
      [
        'auth.logout',
        () => t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session } }),
      ],
      [
        'token.create',
        async () =>
          (tokenId = (await c.auth.createToken(ADMIN, { name: 'x', role: 'data_clerk', department: 'FZ-HB' }))
            .id),
      ],
      ['token.read', () => c.auth.tokens(ADMIN, 'FZ-HB')],
      ['token.revoke', () => c.auth.revokeToken(ADMIN, tokenId)],
      ['organisation.read', () => c.auth.departments(ADMIN)],
      ['audit.read', () => c.audit.query(ADMIN, { limit: 10 })],
      ['audit.checkpoint', () => c.audit.checkpoint(ADMIN)],
      ['audit.verify', () => c.audit.verifyFor(ADMIN)],
      ['demo.remove', () => c.auth.deleteDemo(ADMIN)],
    ];
    for (const [expected, action] of actions) {
      expect(await eventsOf(action), expected).toEqual([expected]);
    }
    expect(await c.audit.verify()).toMatchObject({ ok: true, checkpoints: 1 });
  });

  it('and a refused action leaves none', async () => {
    const c = t.container;
    const clerk = (await c.auth.login({ username: 'clerk.hb', password: 'a long enough password' })).actor;
    const refusals: Array<() => Promise<unknown>> = [
      () =>
        c.auth.createDepartment(ADMIN, {
          code: 'FZ-HB',
          name: '重复',
          division: '350100',
          level: 'prefectural',
          uscc: '113501000036641603',
        }),
      () =>
        c.auth.createUser(ADMIN, {
          username: 'clerk.hb',
          displayName: '重复',
          password: 'a long enough password',
          role: 'auditor',
        }),
      () => c.auth.createToken(clerk, { name: 'x', role: 'data_clerk', department: 'FZ-HB' }),
      () => c.catalog.load({ ...(shippedBaseCatalog() as object), items: [] }, { label: 'system:test' }),
      () => c.audit.query(clerk, { limit: 1 }),
      () => c.audit.verifyFor(clerk),
    ];
    for (const refusal of refusals) {
      expect(await eventsOf(refusal)).toEqual([]);
    }
  });
});

describe('GET /api/audit', () => {
  it('serves auditors, filtered, and records the query', async () => {
    await t.container.auth.createUser(ADMIN, {
      username: 'auditor.2',
      displayName: '审计员',
      password: 'a long enough password',
      role: 'auditor',
    });
    const cookie =
      String((await login('auditor.2', 'a long enough password')).headers['set-cookie']).split(';')[0] ?? '';
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/audit?action=department.create&limit=2',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      events: Array<{ action: string; hash: string; prevHash: string }>;
      next: number | null;
    }>();
    expect(body.events).toHaveLength(2);
    expect(body.events.every((e) => e.action === 'department.create')).toBe(true);
    expect(body.next).not.toBeNull();
    const reads = await t.app.inject({
      method: 'GET',
      url: '/api/audit?action=audit.read&actor=user:auditor.2',
      headers: { cookie },
    });
    expect(
      reads.json<{ events: Array<{ details: { criteria: { action: string } } }> }>().events[0]?.details
        .criteria.action,
    ).toBe('department.create');
  });

  it('lists the newest first, and a full page names the `before` of the page of older ones', async () => {
    const cookie =
      String((await login('auditor.2', 'a long enough password')).headers['set-cookie']).split(';')[0] ?? '';
    const page = async (query: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/audit?${query}`, headers: { cookie } });
      expect(res.statusCode).toBe(200);
      return res.json<{ events: Array<{ seq: number }>; next: number | null }>();
    };
    const newest = await page('action=department.create&limit=2');
    const seqs = newest.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(newest.next).toBe(seqs[1]);
    const older = await page(`action=department.create&limit=2&before=${newest.next ?? 0}`);
    expect(older.events[0]?.seq).toBeLessThan(seqs[1] ?? 0);
    const all = await page('action=department.create&limit=500');
    expect(all.events.map((e) => e.seq).slice(0, 4)).toEqual([...seqs, ...older.events.map((e) => e.seq)]);
    expect(all.next).toBeNull();
  });

  it('answers everyone else as if there were nothing there', async () => {
    const cookie =
      String((await login('clerk.hb', 'a long enough password')).headers['set-cookie']).split(';')[0] ?? '';
    const denied = await t.app.inject({ method: 'GET', url: '/api/audit', headers: { cookie } });
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/audit' });
    expect(denied.statusCode).toBe(404);
    expect(anonymous.statusCode).toBe(404);
    expect(denied.body).toBe(anonymous.body);
    expect(denied.body).toBe(JSON.stringify({ error: 'not_found', message: 'Not found or no access' }));
  });
});
