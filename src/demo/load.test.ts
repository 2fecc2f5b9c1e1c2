/** The first start's demonstration data, and what the server prints while preparing it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testConfig, type TestDatabase } from '../../test/support/database.ts';
import { createContainer, type Container } from '../container.ts';
import { loadDemoData, SHOWCASE } from './index.ts';

let db: TestDatabase;
let c: Container;

beforeAll(async () => {
  db = await createTestDatabase({ seeded: true });
  // The platform's own language: the tests' configuration speaks English.
  c = await createContainer({ ...testConfig(db), locale: 'zh-CN' });
});

afterAll(async () => {
  await c.close();
  await db.drop();
});

describe('loadDemoData', () => {
  it('says what it prepares and what the showcase shows in the platform’s language, and runs once', async () => {
    const steps: string[] = [];
    const load = await loadDemoData(c, (step) => steps.push(step));
    expect(steps).toEqual([
      '正在生成演示数据（第 1 步，共 4 步）：registration，400 行',
      '正在生成演示数据（第 2 步，共 4 步）：admin_licensing，600 行',
      '正在生成演示数据（第 3 步，共 4 步）：admin_penalty，1500 行',
      '正在生成演示数据（第 4 步，共 4 步）：演示场景（信用名单、法院、同名主体）',
    ]);
    expect(load.batches.map((b) => b.item)).toEqual(['registration', 'admin_licensing', 'admin_penalty']);
    const { featured, listed, namesakes } = SHOWCASE;
    expect(load.showcase).toEqual([
      `演示场景：company.user 所属企业 ${featured.name} ${featured.code}（登记注册、行政许可、行政处罚信息）`,
      expect.stringMatching(
        new RegExp(
          `^  严重失信主体名单：${listed.name} ${listed.code}，\\d{4}-\\d{2}-\\d{2} 发出告知，\\d{4}-\\d{2}-\\d{2} 列入名单（案件 \\d+）$`,
        ),
      ) as unknown,
      expect.stringMatching(/^ {2}红名单：.*（案件 \d+）；失信被执行人名单：/) as unknown,
      `  同名主体：${namesakes.name} ${namesakes.codes[0]} 与 ${namesakes.codes[1]}；一条仅载明名称的行政处罚信息在 FZ-SCJG 的待核队列中等待认定`,
    ]);

    // A later start finds the data there and says nothing.
    steps.length = 0;
    expect(await loadDemoData(c, (step) => steps.push(step))).toEqual({ batches: [], showcase: [] });
    expect(steps).toEqual([]);
  }, 300_000);
});
