/**
 * `xinyong evaluate` and `xinyong evaluation model`: a subject's evaluation explained in the
 * terminal; a model file checked (every reason, exit 1) and loaded as a new version, every subject
 * recomputed and the level changes reported; a recomputation with --all.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCliDatabase, xinyong } from '../../../test/support/cli.ts';
import { codes, penaltyRecord, registrationRecord } from '../../../test/support/records.ts';
import { shippedModel } from './evaluation.service.ts';

const CODE = codes.uscc('91350100', 'EB180777');

describe('xinyong evaluate', () => {
  const cli = useCliDatabase();
  let dir = '';

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-evaluate-'));
    const c = cli.host();
    const clerk = (await c.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
    expect(
      (
        await c.ingest.ingestRecords(clerk, {
          department: 'FZ-SCJG',
          item: 'registration',
          records: [registrationRecord(CODE, '福州命令行评价有限公司', { 成立日期: '2024-01-15' })],
        })
      ).accepted,
    ).toBe(1);
    const recent = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (
        await c.ingest.ingestRecords(clerk, {
          department: 'FZ-SCJG',
          item: 'admin_penalty',
          records: [
            penaltyRecord({
              行政相对人名称: '福州命令行评价有限公司',
              统一社会信用代码: CODE,
              行政处罚决定书文号: '榕市监处〔2026〕1877号',
              处罚类别: '罚款',
              处罚内容: '罚款五千元',
              罚款金额: '0.5',
              失信程度: '一般',
              处罚决定日期: recent,
            }),
          ],
        })
      ).accepted,
    ).toBe(1);
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('explains a subject indicator by indicator', async () => {
    const r = await xinyong('--lang', 'en', 'evaluate', CODE);
    expect(r.code, r.err).toBe(0);
    // 75 − 4 (a general penalty) + 0 + 2 (registered 2 whole years ago) = 73
    expect(r.out).toContain(`${CODE}: C Fair, 73.00 points under public-credit@1`);
    expect(r.out).toMatch(
      /General administrative penalties: 1 → -4 points × 1\.00 = -4\.00\n\s+#\d+ admin_penalty general \d{4}-\d\d-\d\d: counted/,
    );
  });

  it('refuses a citizen ID: natural persons are never evaluated', async () => {
    const r = await xinyong('--lang', 'en', 'evaluate', codes.citizenId('35010219900101123'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('natural persons are never evaluated');
  });

  it('checks a model file and names every reason it is refused', async () => {
    const file = structuredClone(shippedModel()) as {
      model: { version: number };
      indicators: Array<{ items: string[]; weight: string }>;
      levels: Array<{ min: string | null }>;
    };
    file.model.version = 2;
    file.indicators[0]!.items = ['admin_penalty', 'no_such_item'];
    file.indicators[2]!.weight = 'half';
    file.levels[1]!.min = '60';
    const bad = path.join(dir, 'bad.json');
    await fs.writeFile(bad, JSON.stringify(file));
    const r = await xinyong('--lang', 'en', 'evaluation', 'model', 'check', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}: indicators.0.items.1: [evaluation.item_unknown] no_such_item`);
    expect(r.err).toContain(`${bad}: indicators.2.weight: [evaluation.decimal] half is not a number`);
    expect(r.err).toContain(`${bad}: levels.1.min: [evaluation.levels_overlap] the levels D and C overlap`);
  });

  it('loads a new version, recomputes every subject and reports the level changes', async () => {
    const file = structuredClone(shippedModel()) as { model: { version: number; base: string } };
    file.model.version = 2;
    file.model.base = '85'; // ten points more for everyone
    const good = path.join(dir, 'v2.json');
    await fs.writeFile(good, JSON.stringify(file));
    const r = await xinyong('--lang', 'en', 'evaluation', 'model', 'load', good);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('model public-credit@2: created');
    const moves = /levels: (\d+) up, (\d+) down, (\d+) unchanged, (\d+) evaluated for the first time/.exec(
      r.out,
    );
    expect(moves, r.out).not.toBeNull();
    expect(Number(moves?.[1])).toBeGreaterThan(0); // C 73 → B 83 at least
    expect(Number(moves?.[2])).toBe(0); // nobody goes down when every score rises
    const after = await xinyong('--lang', 'en', 'evaluate', CODE);
    expect(after.out).toContain('B Good, 83.00 points under public-credit@2');
    const list = await xinyong('--lang', 'en', 'evaluation', 'model', 'list');
    expect(list.out).toMatch(/public-credit@2 \(in force\)/);
  });

  it('recomputes every subject with --all', async () => {
    const r = await xinyong('--lang', 'en', 'evaluate', '--all');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/run \d+ of public-credit@2 \(done\): (\d+) of \1 subjects/);
    expect(r.out).toContain('0 up, 0 down');
  });
});
