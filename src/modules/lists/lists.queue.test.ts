/**
 * A department's designation cases over HTTP (`GET /api/list-cases`): the reviewer's own
 * department's only, those still in due process first with the steps allowed today and the
 * objection window's last day; the auditor every department's; anyone else refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { demoSeriousListType } from './index.ts';

const SERIOUS = demoSeriousListType().code;
const NOTIFIED = codes.uscc('91350100', 'MA9QUE01');
const WITHDRAWN = codes.uscc('91350100', 'MA9QUE02');
const PROPOSED = codes.uscc('91350100', 'MA9QUE03');
const facts = {
  reasons: '销售不符合食品安全标准的食品，造成严重后果',
  basis: '《市场监督管理严重违法失信名单管理办法》第九条',
  actDate: '2026-01-15',
  category: 'health_safety' as const,
};

interface Summary {
  id: number;
  subject: { id: number; name: string; code: string };
  department: string;
  status: string;
  open: boolean;
  nextSteps: string[];
  objectionUntil: string | null;
  dueOn: string | null;
  due: string | null;
}

let t: TestApp;
let reviewer: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp();
  const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
    .actor;
  const summary = await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [NOTIFIED, WITHDRAWN, PROPOSED].map((code, n) =>
      penaltyRecord({
        统一社会信用代码: code,
        行政相对人名称: `福州某队列${n + 1}有限公司`,
        行政处罚决定书文号: `P-queue-${n + 1}`,
      }),
    ),
  });
  expect(summary.accepted).toBe(3);
  reviewer = await sessionCookie(t.app, 'reviewer.scjg');
  for (const [name, code] of Object.entries({ NOTIFIED, WITHDRAWN, PROPOSED })) {
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/api/list-cases',
      headers: { cookie: reviewer },
      payload: { listType: SERIOUS, subjectCode: code, facts },
    });
    expect(proposed.statusCode).toBe(201);
    ids[name] = proposed.json<{ id: number }>().id;
  }
  const step = (id: number | undefined, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/list-cases/${id}/steps`,
      headers: { cookie: reviewer },
      payload,
    });
  expect(
    (await step(ids.NOTIFIED, { step: 'notify', documentNumber: '榕市监信告〔2026〕31号' })).statusCode,
  ).toBe(200);
  expect((await step(ids.WITHDRAWN, { step: 'withdraw', note: '撤回认定' })).statusCode).toBe(200);
});

afterAll(async () => {
  await t.close();
});

describe('GET /api/list-cases', () => {
  it('lists the reviewer’s department’s cases, open first, the objection deadline first, with the steps allowed', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/list-cases', headers: { cookie: reviewer } });
    expect(res.statusCode).toBe(200);
    const cases = res.json<Summary[]>();
    expect(cases.every((c) => c.department === 'FZ-SCJG')).toBe(true);
    const order = cases.map((c) => c.id);
    const notified = cases.find((c) => c.id === ids.NOTIFIED);
    const proposed = cases.find((c) => c.id === ids.PROPOSED);
    const withdrawn = cases.find((c) => c.id === ids.WITHDRAWN);
    // The notified case waits for the window to close: it may be objected to or withdrawn, not decided.
    expect(notified).toMatchObject({ status: 'notified', open: true, due: 'objection_window' });
    expect(notified?.dueOn).toBe(notified?.objectionUntil);
    expect(notified?.dueOn).not.toBeNull();
    expect(notified?.nextSteps).toEqual(['object', 'weigh', 'withdraw']);
    expect(notified?.subject).toMatchObject({ name: '福州某队列1有限公司', code: NOTIFIED });
    expect(proposed).toMatchObject({ status: 'proposed', open: true, dueOn: null });
    expect(proposed?.nextSteps).toEqual(['notify', 'weigh', 'withdraw']);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', open: false, nextSteps: [] });
    // Open cases come first (the one with a deadline before the one without), then the closed.
    expect(order.indexOf(ids.NOTIFIED ?? 0)).toBeLessThan(order.indexOf(ids.PROPOSED ?? 0));
    expect(order.indexOf(ids.PROPOSED ?? 0)).toBeLessThan(order.indexOf(ids.WITHDRAWN ?? 0));
    expect(cases.findIndex((c) => !c.open)).toBeGreaterThan(cases.findLastIndex((c) => c.open));
  });

  it('gives the auditor every department’s cases, and refuses a clerk and the public', async () => {
    const auditor = await t.app.inject({
      method: 'GET',
      url: '/api/list-cases?limit=500',
      headers: { cookie: await sessionCookie(t.app, 'auditor') },
    });
    expect(auditor.statusCode).toBe(200);
    expect(auditor.json<Summary[]>().map((c) => c.id)).toEqual(expect.arrayContaining(Object.values(ids)));
    const clerk = await t.app.inject({
      method: 'GET',
      url: '/api/list-cases',
      headers: { cookie: await sessionCookie(t.app, 'clerk.scjg') },
    });
    expect(clerk.statusCode).toBe(403);
    const anyone = await t.app.inject({ method: 'GET', url: '/api/list-cases' });
    expect(anyone.statusCode).toBe(401);
  });
});
