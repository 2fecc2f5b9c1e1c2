/**
 * What a subject reads before signing a commitment (`GET /api/commitments/standard`): the standard
 * text of each kind with its blanks, the departments it may be made to and the days it may be
 * fulfilled by. The text signed is that text with the blanks filled in; only a subject's account
 * is offered it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { registrationRecord } from '../../../test/support/records.ts';
import { COMMITMENT_KINDS } from './index.ts';

const COMPANY = '91350100M000100Y43'; // the demo company user's

let t: TestApp;
const cookies = new Map<string, string>();

async function as(username: string): Promise<string> {
  const known = cookies.get(username);
  if (known !== undefined) {
    return known;
  }
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: 'xinyong-demo-2026' },
  });
  expect(login.statusCode).toBe(200);
  const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
  cookies.set(username, cookie);
  return cookie;
}

interface Standard {
  kinds: Array<{ kind: string; type: string; text: string }>;
  departments: Array<{ code: string; name: string }>;
  fulfilBy: { earliest: string; latest: string };
}

beforeAll(async () => {
  t = await createTestApp();
  const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
    .actor;
  const registered = await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'registration',
    records: [registrationRecord(COMPANY, '福州某承诺示例有限公司')],
  });
  expect(registered.accepted).toBe(1);
});

afterAll(async () => {
  await t.close();
});

describe('the standard texts of commitments', () => {
  it('offers each kind with its blanks, the departments and the days, and signs exactly that text', async () => {
    const cookie = await as('company.user');
    const res = await t.app.inject({ method: 'GET', url: '/api/commitments/standard', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const standard = res.json<Standard>();
    expect(standard.kinds.map((k) => k.kind)).toEqual([...COMMITMENT_KINDS]);
    for (const k of standard.kinds) {
      expect(k.text).toContain('{matter}');
      expect(k.text).toContain('{fulfilBy}');
      expect(k.type).not.toBe('');
    }
    expect(standard.departments.map((d) => d.code)).toContain('FZ-SCJG');
    expect(standard.fulfilBy.earliest < standard.fulfilBy.latest).toBe(true);

    const licensing = standard.kinds.find((k) => k.kind === 'licensing');
    const matter = '食品经营许可（告知承诺）';
    const fulfilBy = standard.fulfilBy.earliest;
    const signed = await t.app.inject({
      method: 'POST',
      url: '/api/commitments',
      headers: { cookie },
      payload: { kind: 'licensing', department: 'FZ-SCJG', matter, fulfilBy },
    });
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json<{ text: string }>().text).toBe(
      licensing?.text.replace('{matter}', matter).replace('{fulfilBy}', fulfilBy),
    );
  });

  it('is offered to a subject’s account only', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/commitments/standard',
      headers: { cookie: await as('reviewer.scjg') },
    });
    expect(res.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/commitments/standard' });
    expect(anonymous.statusCode).toBe(401);
  });
});
