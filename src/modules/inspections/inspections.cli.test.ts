/**
 * `xinyong inspect seed|draw`: a seed announced at the command line, a plan file drawn as the
 * plan's department, printed as tables (or JSON); a bad plan exits 1 with every reason.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCliDatabase, xinyong } from '../../../test/support/cli.ts';
import { codes, registrationRecord } from '../../../test/support/records.ts';

const POOL = Array.from({ length: 6 }, (_, i) =>
  codes.uscc('91350100', `JK${String(i + 1).padStart(6, '0')}`),
);
const PERSON = codes.citizenId('35010219850303003');

describe('xinyong inspect', () => {
  const cli = useCliDatabase();
  let dir = '';

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-inspect-'));
    const c = cli.host();
    const clerk = (await c.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
    const registered = await c.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'registration',
      records: POOL.map((code, i) => registrationRecord(code, `福州命令行抽查${i + 1}号有限公司`)),
    });
    expect(registered.accepted).toBe(6);
    // A model of its own in force (from tomorrow on, so that none other comes after it), with no
    // result yet: every subject of the pool is unrated.
    const content = {
      model: { code: 'cli-grades', version: 1, publicLevel: true },
      levels: [{ code: 'A' }, { code: 'B' }],
    };
    await sql`
      insert into evaluation_model (code, version, digest, content, loaded_by, current_since)
      values ('cli-grades', 1, ${'cd'.repeat(32)}, ${JSON.stringify(content)}::jsonb, 'test', now() + interval '1 day')`.execute(
      c.database.db,
    );
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function seed(): Promise<number> {
    const announced = await xinyong(
      'inspect',
      'seed',
      '--department',
      'FZ-SCJG',
      '--purpose',
      '年度双随机抽查',
    );
    expect(announced.code, announced.err).toBe(0);
    const match = /seed (\d+) of FZ-SCJG announced at .*: ([0-9a-f]{64})/.exec(announced.out);
    expect(match, announced.out).not.toBeNull();
    return Number(match?.[1]);
  }

  async function planFile(name: string, plan: unknown): Promise<string> {
    const file = path.join(dir, name);
    await fs.writeFile(file, JSON.stringify(plan));
    return file;
  }

  const plan = (seedId: number, overrides: Record<string, unknown> = {}) => ({
    department: 'FZ-SCJG',
    matter: '营业执照年报事项检查',
    seedId,
    pool: { codes: POOL },
    rates: { A: 1, B: 1, unrated: 0.5 },
    inspectors: { pool: ['JC-001', 'JC-002', 'JC-003'], perSubject: 2 },
    ...overrides,
  });

  it('draws a plan file and prints the groups and the sample as tables', async () => {
    const file = await planFile('plan.json', plan(await seed()));
    const drawn = await xinyong('inspect', 'draw', '--plan', file);
    expect(drawn.code, drawn.err).toBe(0);
    expect(drawn.out).toContain('levels of the evaluation model cli-grades version 1');
    expect(drawn.out).toMatch(/level\s+pool\s+rate\s+drawn/);
    expect(drawn.out).toMatch(/unrated\s+6\s+50%\s+3/);
    expect(drawn.out).toMatch(/code\s+name\s+level\s+inspectors/);
    const rows = drawn.out.split('\n').filter((line) => POOL.some((code) => line.startsWith(code)));
    expect(rows).toHaveLength(3);
  });

  it('prints JSON with --json, and speaks Chinese when asked', async () => {
    const json = await xinyong(
      'inspect',
      'draw',
      '--json',
      '--plan',
      await planFile('json.json', plan(await seed())),
    );
    expect(json.code, json.err).toBe(0);
    const parsed = JSON.parse(json.out) as { groups: unknown[]; sample: Array<{ inspectors: string[] }> };
    expect(parsed.groups).toEqual([
      { level: 'A', poolSize: 0, rate: 1, drawn: 0 },
      { level: 'B', poolSize: 0, rate: 1, drawn: 0 },
      { level: 'unrated', poolSize: 6, rate: 0.5, drawn: 3 },
    ]);
    expect(parsed.sample.every((s) => s.inspectors.length === 2)).toBe(true);
    const zh = await xinyong(
      '--lang',
      'zh-CN',
      'inspect',
      'draw',
      '--plan',
      await planFile('zh.json', plan(await seed())),
    );
    expect(zh.code, zh.err).toBe(0);
    expect(zh.out).toMatch(/等级\s+对象数\s+比例\s+抽取数/);
  });

  it('exits 1 with every reason on a bad plan, nothing drawn', async () => {
    const seedId = await seed();
    const shape = await xinyong(
      'inspect',
      'draw',
      '--plan',
      await planFile(
        'bad.json',
        plan(seedId, {
          rates: { A: 1, B: 1, unrated: 1.5 },
          inspectors: { pool: ['JC-001'], perSubject: 9 },
        }),
      ),
    );
    expect(shape.code).toBe(1);
    expect(shape.err).toContain('rates.unrated');
    expect(shape.err).toContain('inspectors.perSubject');
    const rules = await xinyong(
      'inspect',
      'draw',
      '--plan',
      await planFile(
        'person.json',
        plan(seedId, { pool: { codes: [...POOL, PERSON] }, rates: { A: 1, X: 1 } }),
      ),
    );
    expect(rules.code).toBe(1);
    expect(rules.err).toContain('[inspection.natural_person]');
    expect(rules.err).toContain('[inspection.rate_missing]');
    expect(rules.err).toContain('[inspection.rate_unknown]');
    expect(rules.err).not.toContain(PERSON);
    const missing = await xinyong('inspect', 'draw', '--plan', path.join(dir, 'none.json'));
    expect(missing.code).toBe(1);
    // The seed is still unused: the refused plans drew nothing.
    const ok = await xinyong('inspect', 'draw', '--plan', await planFile('ok.json', plan(seedId)));
    expect(ok.code, ok.err).toBe(0);
  });
});
