/**
 * The evaluation on the database: the SQL that computes many subjects at once agrees with the
 * explained computation of one, for random records; a subject's explanation through the API sums
 * to its score; its level changes when its penalty is repaired (followed from the change feed);
 * natural persons are refused by the API and by the database itself; the public sees the level only.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { codes, penaltyRecord, registrationRecord } from '../../../test/support/records.ts';
import { todayInShanghai } from '../../platform/calendar/index.ts';
import { evaluate, type EvaluatedRecord } from './evaluation.compute.ts';
import { arbitraryRecord } from '../../../test/support/evaluation.ts';
import { modelInForce } from './evaluation.levels.ts';

let t: TestApp;
const db = () => t.container.database.db;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

async function inForce() {
  const m = await modelInForce(db());
  if (m === undefined) {
    throw new Error('no model in force');
  }
  return { id: m.id, model: await t.container.evaluation.model(m.id) };
}

describe('SQL and the explained computation agree', () => {
  it('for random records of many subjects (oracle)', async () => {
    const { id: modelId, model } = await inForce();
    const version = await sql<{ id: string }>`select max(id) as id from catalog_version`.execute(db());
    const versionId = Number(version.rows[0]?.id);
    const sample = fc.sample(fc.array(arbitraryRecord, { maxLength: 12 }), { numRuns: 60, seed: 20261203 });
    const subjects: Array<{ id: number; records: EvaluatedRecord[] }> = [];
    for (const [k, records] of sample.entries()) {
      const s = await sql<{ id: string }>`
        insert into subject (kind, name, status) values (${k % 3 === 0 ? 'individual_business' : 'legal_person'}, ${`对照主体${k}`}, 'registered')
        returning id`.execute(db());
      const subjectId = Number(s.rows[0]?.id);
      const written: EvaluatedRecord[] = [];
      for (const [j, r] of records.entries()) {
        const row = await sql<{ id: string }>`
          insert into record (subject_id, department_code, item_code, catalog_version_id, identity_key, version, is_current,
            payload, payload_digest, decision_date, tier, longest_until, display_public, status)
          values (${subjectId}, 'FZ-SCJG', ${r.item}, ${versionId}, ${`oracle-${k}-${j}`}, 1, true, '{}', 'x',
            ${r.decisionDate}, ${r.tier}, ${r.longestUntil}, true, ${r.status})
          returning id`.execute(db());
        written.push({ ...r, id: Number(row.rows[0]?.id) });
      }
      subjects.push({ id: subjectId, records: written });
    }
    const asOf = todayInShanghai();
    await t.container.evaluation.recompute(subjects.map((s) => s.id));
    for (const s of subjects) {
      const stored = await t.container.evaluation.repository.result(modelId, s.id);
      const expected = evaluate(model, s.records, asOf);
      expect({
        score: stored?.score,
        level: stored?.level,
      }).toEqual({
        score: expected.score100,
        level: expected.level,
      });
      expect(stored?.indicator_values).toEqual(expected.indicators.map((i) => i.value));
    }
  });
});

describe('a company’s evaluation', () => {
  const code = codes.uscc('91350100', 'EB180001');
  const recent = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);

  it('is explained indicator by indicator, the contributions adding up to the score, and changes level when the penalty is repaired', async () => {
    const c = t.container;
    const clerk = (await c.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
    const reg = await c.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'registration',
      records: [registrationRecord(code, '福州评价示范科技有限公司', { 成立日期: '2018-05-20' })],
    });
    expect(reg.accepted).toBe(1);
    const pen = await c.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      records: [
        penaltyRecord({
          行政相对人名称: '福州评价示范科技有限公司',
          统一社会信用代码: code,
          行政处罚决定书文号: '榕市监处〔2026〕1801号',
          处罚类别: '吊销营业执照',
          处罚内容: '吊销营业执照',
          处罚决定日期: recent,
        }),
      ],
    });
    expect(pen.accepted).toBe(1);
    await c.evaluationFollower.catchUp();
    const cookie = await sessionCookie(t.app, 'reviewer.scjg');
    const res = await t.app.inject({ method: 'GET', url: `/api/evaluations/${code}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      score: string;
      base: string;
      level: { code: string };
      indicators: Array<{
        code: string;
        value: number;
        contribution: string;
        records: Array<{ use: string }>;
      }>;
    }>();
    const cents = (x: string) => Math.round(Number(x) * 100);
    expect(body.indicators.reduce((s, i) => s + cents(i.contribution), cents(body.base))).toBe(
      cents(body.score),
    );
    const serious = body.indicators.find((i) => i.code === 'penalty_serious');
    expect(serious).toMatchObject({ value: 1, contribution: '-10.00', records: [{ use: 'counted' }] });
    // 75 − 10 (serious penalty) + 0 (no year without it) + 5 (registered 8 years ago, capped) = 70: C
    expect([body.score, body.level.code]).toEqual(['70.00', 'C']);

    // Repaired: the record no longer counts, and the follower recomputes the level.
    const record = await sql<{ id: string }>`
      select r.id from record r join subject_code sc on sc.subject_id = r.subject_id
      where r.item_code = 'admin_penalty' and r.is_current and sc.value = ${code}`.execute(db());
    await sql`update record set status = 'repaired', repair_outcome = 'end_disclosure' where id = ${record.rows[0]?.id}`.execute(
      db(),
    );
    await c.evaluationFollower.catchUp();
    const { id: modelId } = await inForce();
    const stored = await sql<{ level: string; score: number }>`
      select e.level, e.score from evaluation e join subject_code sc on sc.subject_id = e.subject_id
      where e.model_id = ${modelId} and sc.value = ${code}`.execute(db());
    // 75 + 10 (5 years without a counted adverse record, capped, 2 points each) + 5 = 90: A
    expect(stored.rows[0]).toEqual({ level: 'A', score: 9000 });
    const again = await t.app.inject({ method: 'GET', url: `/api/evaluations/${code}`, headers: { cookie } });
    const penalty = again.json<typeof body>().indicators.find((i) => i.code === 'penalty_serious');
    expect(penalty?.records).toMatchObject([{ use: 'excluded', because: 'repaired' }]);
  });

  it('is read with an audit event; the public sees the level only', async () => {
    const pub = await t.app.inject({ method: 'GET', url: `/api/public/evaluations/${code}` });
    expect(pub.statusCode).toBe(200);
    expect(Object.keys(pub.json<object>()).sort()).toEqual(['asOf', 'level', 'model']);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/evaluations/${code}` });
    expect(anonymous.statusCode).toBe(401);
    const events = await sql<{ n: number }>`
      select count(*)::int as n from audit_inbox where action = 'evaluation.read'
      union all select count(*)::int from audit_event where action = 'evaluation.read'`.execute(db());
    expect(events.rows.reduce((s, r) => s + Number(r.n), 0)).toBeGreaterThan(0);
  });

  it('is not another company’s to read', async () => {
    const cookie = await sessionCookie(t.app, 'company.user');
    const res = await t.app.inject({ method: 'GET', url: `/api/evaluations/${code}`, headers: { cookie } });
    expect(res.statusCode).toBe(404);
  });
});

describe('natural persons are never scored', () => {
  const person = codes.citizenId('35010219900101123');

  it('the API refuses a citizen ID with the reason, before looking anything up', async () => {
    const cookie = await sessionCookie(t.app, 'reviewer.scjg');
    const res = await t.app.inject({ method: 'GET', url: `/api/evaluations/${person}`, headers: { cookie } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ rule: 'evaluation.natural_person', field: 'code' });
    const pub = await t.app.inject({ method: 'GET', url: `/api/public/evaluations/${person}` });
    expect(pub.statusCode).toBe(404);
  });

  it('the database refuses a result for a natural person, whatever the code writing it', async () => {
    const { id: modelId } = await inForce();
    const s = await sql<{ id: string }>`
      insert into subject (kind, name, status) values ('natural_person', '张某', 'registered') returning id`.execute(
      db(),
    );
    const id = Number(s.rows[0]?.id);
    const insert = (kind: string) =>
      sql`
      insert into evaluation (model_id, subject_id, subject_kind, score, level, indicator_values, as_of)
      values (${modelId}, ${id}, ${kind}, 7500, 'C', '{}', current_date)`.execute(db());
    await expect(insert('natural_person')).rejects.toThrow(/evaluation_market_entities_only/);
    // Claiming another kind does not get past the database either: it looks at the subject itself.
    await expect(insert('legal_person')).rejects.toThrow(
      /evaluation_subject_kind: natural persons are never evaluated/,
    );
    // Nor does recomputing: the SQL evaluates only the kinds the model names.
    await t.container.evaluation.recompute([id]);
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from evaluation where subject_id = ${id}`.execute(db());
    expect(Number(n.rows[0]?.n)).toBe(0);
  });

  it('a model naming natural persons is refused with every reason', async () => {
    const cookie = await sessionCookie(t.app, 'admin');
    const { shippedModel } = await import('./evaluation.service.ts');
    const file = structuredClone(shippedModel()) as {
      model: { version: number; subjectKinds: string[] };
      levels: Array<{ min: string | null }>;
    };
    file.model.version = 2;
    file.model.subjectKinds.push('natural_person');
    file.levels[1]!.min = '66';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/evaluation/models',
      headers: { cookie },
      payload: file,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ rule: 'evaluation.natural_person', field: 'model.subjectKinds.3' });
    expect(res.json<{ message: string }>().message).toContain('(and 1 more)');
  });
});

describe('the follower', () => {
  it('on a new day runs the model for every subject, since display periods end and years pass without a change', async () => {
    const follower = t.container.evaluationFollower;
    await follower.catchUp();
    await sql`update evaluation_cursor set day = day - 1`.execute(db());
    const before = await sql<{
      n: number;
    }>`select count(*)::int as n from evaluation_run where kind = 'daily'`.execute(db());
    await follower.tick();
    const runs = await sql<{ kind: string; status: string; total: number; done: number; as_of: string }>`
      select kind, status, total, done, as_of from evaluation_run where kind = 'daily' order by id desc`.execute(
      db(),
    );
    expect(runs.rows.length).toBe(Number(before.rows[0]?.n) + 1);
    expect(runs.rows[0]).toMatchObject({ status: 'done', as_of: todayInShanghai() });
    expect(runs.rows[0]?.done).toBe(runs.rows[0]?.total);
    const cursor = await sql<{ day: string }>`select day from evaluation_cursor`.execute(db());
    expect(cursor.rows[0]?.day).toBe(todayInShanghai());
  });
});

describe('a run killed part way', () => {
  it('leaves stage tables that a later start drops once a day old, not a running run’s', async () => {
    const now = Date.now();
    const old = `evaluation_stage_${Math.floor(now / 1000) - 90_000}_${'a1'.repeat(6)}`;
    const fresh = `evaluation_aggregate_${Math.floor(now / 1000) - 60}_${'b2'.repeat(6)}`;
    await sql`create unlogged table ${sql.table(old)} (x int)`.execute(db());
    await sql`create unlogged table ${sql.table(fresh)} (x int)`.execute(db());
    expect(await t.container.evaluation.repository.dropStaleStages(86_400, now)).toEqual([old]);
    const left = await sql<{ name: string }>`
      select tablename as name from pg_tables where tablename ~ '^evaluation_(aggregate|stage)_' order by 1`.execute(
      db(),
    );
    expect(left.rows.map((r) => r.name)).toEqual([fresh]);
    await sql`drop table ${sql.table(fresh)}`.execute(db());
  });
});
