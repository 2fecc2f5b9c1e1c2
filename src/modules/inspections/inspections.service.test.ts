/**
 * Graded inspection sampling over HTTP: the market regulator announces a seed, then draws 22
 * companies by their levels under the model in force (A 10, B 5, C 3, unrated 4) with its
 * inspectors; the rates per level are honoured, the draw is reproducible from the published seed
 * whatever the pool's order, audited with its seed, and published without a natural person. A rate
 * out of range, an empty pool, a natural person, a used seed, another department's seed or plan
 * are refused with the field, the value and the rule.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, registrationRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { createDataProtector, type AppError, type DataProtector } from '../../platform/index.ts';
import type { Actor } from '../auth/index.ts';
import { subjectByCode } from '../subjects/index.ts';
import {
  drawSample,
  planProblems,
  UNRATED,
  type DrawRecordView,
  type DrawView,
  type PublicSeed,
} from './index.ts';

let t: TestApp;
let protector: DataProtector;
let reviewer: string;
let officer: string;
let auditor: string;
let reviewerActor: Actor;

const company = (i: number) => codes.uscc('91350100', `JC${String(i).padStart(6, '0')}`);
const POOL = Array.from({ length: 22 }, (_, i) => company(i + 1));
const levelOf = (i: number): string | null => (i < 10 ? 'A' : i < 15 ? 'B' : i < 18 ? 'C' : null);
const PERSON = codes.citizenId('35010219800101001'); // held: a natural person's subject
const STRANGER = codes.citizenId('35010219900202002'); // not held
const RATES = { A: 0.3, B: 0.2, C: 1, D: 1, [UNRATED]: 0.5 };
const INSPECTORS = { pool: ['张三', '李四', '王五', '赵六'], perSubject: 2 };

async function post(url: string, cookie: string, payload: unknown) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'accept-language': 'en' },
    payload: payload as Record<string, unknown>,
  });
}

async function announce(cookie = reviewer): Promise<{ id: number; seed: string }> {
  const res = await post('/api/inspections/seeds', cookie, { purpose: '2026 年食品经营抽查' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: number; seed: string }>();
}

const plan = (seedId: number, overrides: Record<string, unknown> = {}) => ({
  department: 'FZ-SCJG',
  matter: '食品经营许可事项检查',
  seedId,
  pool: { codes: POOL },
  rates: RATES,
  inspectors: INSPECTORS,
  ...overrides,
});

beforeAll(async () => {
  t = await createTestApp();
  const c = t.container;
  protector = createDataProtector(c.config.dataKeyFile);
  const clerk = (await c.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
  reviewerActor = (await c.auth.login({ username: 'reviewer.scjg', password: 'xinyong-demo-2026' })).actor;
  const registered = await c.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'registration',
    records: POOL.map((code, i) => registrationRecord(code, `福州抽查示例${i + 1}号有限公司`)),
  });
  expect(registered.accepted, JSON.stringify(registered)).toBe(22);

  // The model in force (from tomorrow on, so that none other comes after it) and the levels: set
  // here, not computed by the evaluation.
  const db = c.database.db;
  const content = {
    model: { code: 'test-grades', version: 1, publicLevel: false },
    levels: ['A', 'B', 'C', 'D'].map((code) => ({ code })),
  };
  const model = await sql<{ id: number }>`
    insert into evaluation_model (code, version, digest, content, loaded_by, current_since)
    values ('test-grades', 1, ${'ab'.repeat(32)}, ${JSON.stringify(content)}::jsonb, 'test', now() + interval '1 day')
    returning id`.execute(db);
  const modelId = Number(model.rows[0]?.id);
  for (const [i, code] of POOL.entries()) {
    const level = levelOf(i);
    if (level === null) {
      continue;
    }
    const subject = await subjectByCode(db, protector, code, 'code');
    await sql`
      insert into evaluation (model_id, subject_id, subject_kind, score, level, indicator_values, as_of)
      select ${modelId}, s.id, s.kind, 80, ${level}, '{}'::int[], current_date
      from subject s where s.id = ${subject?.id ?? 0}`.execute(db);
  }

  // A natural person the platform holds (kept masked, its code only as a keyed hash).
  const person = await sql<{ id: number }>`
    insert into subject (kind, name, status) values ('natural_person', '张*', 'provisional') returning id`.execute(
    db,
  );
  await sql`
    insert into subject_code (subject_id, kind, value_hash, value, value_encrypted, masked)
    values (${Number(person.rows[0]?.id)}, 'citizen_id', ${protector.hash('citizen_id', PERSON)}, null, 'sealed', '350102********0010')`.execute(
    db,
  );

  reviewer = await sessionCookie(t.app, 'reviewer.scjg');
  officer = await sessionCookie(t.app, 'officer.zj');
  auditor = await sessionCookie(t.app, 'auditor');
});

afterAll(async () => {
  await t.close();
});

describe('a seed', () => {
  it('is announced by the department and listed publicly, unused', async () => {
    const seed = await announce();
    expect(seed.seed).toMatch(/^[0-9a-f]{64}$/);
    const listed = await t.app.inject({ method: 'GET', url: '/api/public/inspections/seeds' });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<PublicSeed[]>().find((s) => s.id === seed.id)).toMatchObject({
      department: 'FZ-SCJG',
      purpose: '2026 年食品经营抽查',
      seed: seed.seed,
      used: false,
    });
  });

  it('is not announced by an auditor, who draws nothing', async () => {
    const res = await post('/api/inspections/seeds', auditor, { purpose: 'x' });
    expect(res.statusCode).toBe(403);
  });
});

describe('a draw', () => {
  let seed: { id: number; seed: string };
  let drawn: DrawRecordView;

  beforeAll(async () => {
    seed = await announce();
    const res = await post('/api/inspections/draws', reviewer, plan(seed.id));
    expect(res.statusCode, res.body).toBe(201);
    drawn = res.json<DrawRecordView>();
  });

  it('honours the rate of each level: ceil(rate × group size)', () => {
    expect(drawn.model).toEqual({ code: 'test-grades', version: 1 });
    expect(drawn.seed).toBe(seed.seed);
    expect(drawn.groups).toEqual([
      { level: 'A', poolSize: 10, rate: 0.3, drawn: 3 },
      { level: 'B', poolSize: 5, rate: 0.2, drawn: 1 },
      { level: 'C', poolSize: 3, rate: 1, drawn: 3 },
      { level: 'D', poolSize: 0, rate: 1, drawn: 0 },
      { level: UNRATED, poolSize: 4, rate: 0.5, drawn: 2 },
    ]);
    expect(drawn.sample).toHaveLength(9);
    expect(drawn.sample.map((s) => s.code)).toEqual([...drawn.sample.map((s) => s.code)].sort());
    expect(drawn.sample.filter((s) => s.level === 'A')).toHaveLength(3);
    expect(drawn.sample.every((s) => s.inspectors.length === 2 && s.name.startsWith('福州抽查示例'))).toBe(
      true,
    );
    expect(drawn.poolDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is reproduced by anyone from the published seed, whatever the order of the pool', () => {
    const subjects = POOL.map((code, i) => ({
      code,
      name: drawn.sample.find((s) => s.code === code)?.name ?? '',
      level: levelOf(i),
    }));
    const again = drawSample({
      seed: seed.seed,
      subjects: [...subjects].reverse(),
      levels: ['A', 'B', 'C', 'D', UNRATED],
      rates: RATES,
      inspectors: [...INSPECTORS.pool].reverse(),
      perSubject: 2,
    });
    expect(again.groups).toEqual(drawn.groups);
    expect(again.sample.map((s) => [s.code, s.level, s.inspectors])).toEqual(
      drawn.sample.map((s) => [s.code, s.level, s.inspectors]),
    );
  });

  it('marks its seed used: a second draw with it is refused', async () => {
    const seeds = (await t.app.inject({ method: 'GET', url: '/api/public/inspections/seeds' })).json<
      PublicSeed[]
    >();
    expect(seeds.find((s) => s.id === seed.id)).toMatchObject({ used: true, draw: drawn.id });
    const again = await post('/api/inspections/draws', reviewer, plan(seed.id));
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ field: 'seedId', value: seed.id, rule: 'inspection.seed_used' });
  });

  it('with another seed gives another sample, the pool given in another order', async () => {
    const other = await announce();
    const res = await post(
      '/api/inspections/draws',
      reviewer,
      plan(other.id, { pool: { codes: [...POOL].reverse() } }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const second = res.json<DrawRecordView>();
    expect(second.poolDigest).toBe(drawn.poolDigest);
    expect(second.groups).toEqual(drawn.groups);
    expect(second.sample.map((s) => [s.code, s.inspectors])).not.toEqual(
      drawn.sample.map((s) => [s.code, s.inspectors]),
    );
  });

  it('writes one audit event carrying its seed, pool digest, model, rates and the codes drawn', async () => {
    const events = await t.container.database.db
      .selectFrom('audit_event')
      .select(['actor', 'details'])
      .where('action', '=', 'inspection.draw')
      .where('target_id', '=', String(drawn.id))
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.actor).toBe('user:reviewer.scjg');
    expect(events[0]?.details).toMatchObject({
      seed: seed.seed,
      seedId: seed.id,
      poolDigest: drawn.poolDigest,
      model: { code: 'test-grades', version: 1 },
      rates: RATES,
      drawn: drawn.sample.map((s) => s.code),
    });
  });

  it('is read by its department and the auditor, not by another department', async () => {
    for (const cookie of [reviewer, auditor]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/inspections/draws/${drawn.id}`,
        headers: { cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<DrawRecordView>().drawnBy).toBe('user:reviewer.scjg');
    }
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/inspections/draws/${drawn.id}`,
      headers: { cookie: officer },
    });
    expect(other.statusCode).toBe(404);
  });

  it('is published with the organisations drawn, their levels hidden where the model says so', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/public/inspections/draws/${drawn.id}` });
    expect(res.statusCode).toBe(200);
    const published = res.json<DrawView>();
    expect(published).toMatchObject({
      matter: '食品经营许可事项检查',
      department: 'FZ-SCJG',
      seed: seed.seed,
      groups: drawn.groups,
    });
    expect(published.sample.map((s) => [s.code, s.name])).toEqual(drawn.sample.map((s) => [s.code, s.name]));
    expect(published.sample.every((s) => s.level === null)).toBe(true);
    expect(res.body).not.toContain('drawnBy');
    expect(res.body).not.toContain(PERSON.slice(0, 6) + PERSON.slice(6, 14));
    expect(published.sample.every((s) => s.code.startsWith('9135'))).toBe(true);
    const list = await t.app.inject({ method: 'GET', url: '/api/public/inspections/draws' });
    expect(list.json<Array<{ id: number; drawn: number }>>().find((d) => d.id === drawn.id)).toMatchObject({
      drawn: 9,
    });
  });
});

describe('a plan is refused', () => {
  it('with a rate out of [0, 1], naming rates.A', async () => {
    const seed = await announce();
    const res = await post(
      '/api/inspections/draws',
      reviewer,
      plan(seed.id, { rates: { ...RATES, A: 1.5 } }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'rates.A', value: 1.5 });
    const err = (await t.container.inspections
      .draw(reviewerActor, plan(seed.id, { rates: { ...RATES, A: 1.5 } }))
      .catch((e: unknown) => e)) as AppError;
    expect(err).toMatchObject({ status: 400, field: 'rates.A', value: 1.5, rule: 'too_big' });
  });

  it('with an empty pool', async () => {
    const seed = await announce();
    const res = await post('/api/inspections/draws', reviewer, plan(seed.id, { pool: { codes: [] } }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'pool.codes', rule: 'too_small' });
  });

  it('with a level of the model in force left without a rate', async () => {
    const seed = await announce();
    const { D: _d, ...rates } = RATES;
    const res = await post('/api/inspections/draws', reviewer, plan(seed.id, { rates }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'rates.D', rule: 'inspection.rate_missing' });
  });

  it('with a natural person in the pool, held or not, the codes masked', async () => {
    const seed = await announce();
    const res = await post(
      '/api/inspections/draws',
      reviewer,
      plan(seed.id, { pool: { codes: [...POOL, PERSON, STRANGER] } }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'pool.codes', rule: 'inspection.natural_person' });
    expect(res.json<{ message: string }>().message).toContain('2 codes are of natural persons');
    expect(res.body).not.toContain(PERSON);
    expect(res.body).not.toContain(STRANGER);
  });

  it('with every reason kept: codes naming no subject listed, too few inspectors, a rate missing', async () => {
    const seed = await announce();
    const unknown = codes.uscc('91350100', 'NXWH0001');
    const err = await t.container.inspections
      .draw(
        reviewerActor,
        plan(seed.id, {
          pool: { codes: [...POOL, unknown] },
          rates: { A: 0.3, B: 0.2, C: 1, [UNRATED]: 0.5 },
        }),
      )
      .catch((e: unknown) => e);
    const problems = planProblems(err) ?? [];
    expect(problems.map((p) => [p.field, p.rule])).toEqual([
      ['pool.codes', 'inspection.unknown_code'],
      ['rates.D', 'inspection.rate_missing'],
    ]);
    expect((err as AppError).messageIn('en')).toContain(unknown);
    const inspectors = await t.container.inspections
      .draw(reviewerActor, plan(seed.id, { inspectors: { pool: ['张三', '张三'], perSubject: 2 } }))
      .catch((e: unknown) => e);
    expect((planProblems(inspectors) ?? []).map((p) => [p.field, p.rule])).toEqual([
      ['inspectors.pool.1', 'inspection.inspector_unique'],
      ['inspectors.perSubject', 'inspection.too_few_inspectors'],
    ]);
  });

  it('with a seed of another department, or a plan of another department', async () => {
    const theirs = await post('/api/inspections/seeds', officer, { purpose: '建筑市场检查' });
    expect(theirs.statusCode).toBe(201);
    const res = await post('/api/inspections/draws', reviewer, plan(theirs.json<{ id: number }>().id));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'seedId', rule: 'inspection.seed_department' });
    const ours = await announce();
    const forUs = await post('/api/inspections/draws', officer, plan(ours.id));
    expect(forUs.statusCode).toBe(403);
    expect(forUs.json()).toMatchObject({ rule: 'policy.own_department' });
  });

  it('with a seed never announced', async () => {
    const res = await post('/api/inspections/draws', reviewer, plan(999_999));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ field: 'seedId', value: 999_999, rule: 'inspection.seed_unknown' });
  });
});

describe('the database itself', () => {
  it('keeps seeds and draws as published, and one draw per seed', async () => {
    const db = t.container.database.db;
    await expect(sql`update inspection_draw set matter = 'x'`.execute(db)).rejects.toThrow(
      /kept as published/,
    );
    await expect(sql`delete from inspection_seed`.execute(db)).rejects.toThrow(/kept as published/);
    await expect(
      sql`insert into inspection_seed (department_code, purpose, seed, announced_by) values ('FZ-SCJG', 'x', 'XYZ', 't')`.execute(
        db,
      ),
    ).rejects.toThrow(/check/);
    const used = await sql<{
      id: number;
    }>`select id from inspection_seed where used_by_draw is not null limit 1`.execute(db);
    await expect(
      sql`insert into inspection_draw (department_code, matter, seed_id, plan, pool_size, pool_digest, groups, sample, drawn_by)
        values ('FZ-SCJG', 'x', ${Number(used.rows[0]?.id)}, '{"rates": {}}', 1, ${'0'.repeat(64)}, '[]', '[]', 't')`.execute(
        db,
      ),
    ).rejects.toThrow(/used by draw|duplicate key/);
    const fresh = await announce();
    await expect(
      sql`insert into inspection_draw (department_code, matter, seed_id, plan, pool_size, pool_digest, groups, sample, drawn_by)
        values ('FZ-SCJG', 'x', ${fresh.id}, '{"rates": {"A": 1.5}}', 1, ${'0'.repeat(64)}, '[]', '[]', 't')`.execute(
        db,
      ),
    ).rejects.toThrow(/inspection_draw_rates/);
  });
});
