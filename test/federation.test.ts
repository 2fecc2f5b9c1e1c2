/**
 * Two provinces and the nation, each on a PostgreSQL cluster of the test's own (loopback ports),
 * federated by logical replication: a record committed in a province reaches the nation keeping its
 * origin; one unified code from two provinces is one subject; a repair in the province withdraws
 * the record nationally; a province that goes down and comes back is caught up with nothing lost or
 * doubled; what a province may not share never reaches the nation. PostgreSQL pass only.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStatus } from '../src/cli/federation.ts';
import { createContainer, type Container } from '../src/container.ts';
import { DEMO_PASSWORD, type Actor } from '../src/modules/auth/index.ts';
import { addDays, todayInShanghai } from '../src/platform/calendar/index.ts';
import type { DatabaseConfig, FederationConfig } from '../src/platform/index.ts';
import { type Cluster, clustersAvailable, primaryCluster } from './support/clusters.ts';
import { testConfig } from './support/database.ts';
import { codes, penaltyRecord } from './support/records.ts';

const SYSTEM: Actor = { kind: 'system', name: 'test' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One node: its cluster, its platform, its HTTP server. */
interface Node {
  cluster: Cluster;
  container: Container;
  app: FastifyInstance;
  filesDir: string;
}

const X = { name: '闽浙联网示范科技有限公司', code: codes.uscc('91350100', 'LW000001') };
const PERSON = { name: '林某某', id: codes.citizenId('35010219800101123') };

async function startNode(name: string, federation: FederationConfig): Promise<Node> {
  const cluster = await primaryCluster(name);
  await cluster.query(
    `create database xinyong template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`,
  );
  const filesDir = await fs.mkdtemp(path.join(os.tmpdir(), `xinyong-${name}-files-`));
  const database: DatabaseConfig = { kind: 'postgresql', url: cluster.url('xinyong'), poolSize: 4 };
  const container = await createContainer({
    ...testConfig({ config: database, filesDir, drop: () => Promise.resolve() }),
    database,
    federation,
  });
  const app = await container.buildHttpServer();
  await app.ready();
  return { cluster, container, app, filesDir };
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (node === undefined) {
    return;
  }
  await node.app.close();
  await node.container.close();
  await node.cluster.destroy();
  await fs.rm(node.filesDir, { recursive: true, force: true });
}

async function clerkOf(node: Node): Promise<Actor> {
  return (await node.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
}

/** Penalties sent by the province's market regulator; each row's overrides over a valid penalty. */
async function penalties(node: Node, rows: Array<Record<string, unknown>>): Promise<void> {
  const s = await node.container.ingest.ingestRecords(await clerkOf(node), {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: rows.map((r) =>
      penaltyRecord({ 处罚决定日期: addDays(todayInShanghai(), -10), 失信程度: '一般', ...r }),
    ),
  });
  expect(s.rejected).toBe(0);
}

const ofX = (number: string, decided = addDays(todayInShanghai(), -10)) => ({
  行政相对人名称: X.name,
  统一社会信用代码: X.code,
  行政处罚决定书文号: number,
  处罚决定日期: decided,
});

/** Waits for `probe` to hold, for up to `seconds`. */
async function until(what: string, probe: () => Promise<boolean>, seconds = 60): Promise<void> {
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(200)) {
    if (await probe()) {
      return;
    }
  }
  throw new Error(`${what}: not within ${seconds} s`);
}

const publicFile = async (node: Node, code: string) => {
  const res = await node.app.inject({ method: 'GET', url: `/api/public/subjects/${code}` });
  return { status: res.statusCode, body: res.body };
};

describe.runIf(clustersAvailable())(
  'a federation of two provinces and the nation',
  { timeout: 120_000 },
  () => {
    let fujian: Node | undefined;
    let zhejiang: Node | undefined;
    let nation: Node | undefined;
    const node = (n: Node | undefined): Node => {
      if (n === undefined) {
        throw new Error('the nodes start in beforeAll');
      }
      return n;
    };

    /** What the nation holds from `origin`: its records' origin ids, and their count with doubles. */
    const nationalRecords = async (origin: string) => {
      const rows = await node(nation).cluster.query<{ origin_record_id: string }>(
        'select origin_record_id::text from record where origin = $1',
        'xinyong',
        [origin],
      );
      return rows.map((r) => Number(r.origin_record_id));
    };

    beforeAll(async () => {
      [fujian, zhejiang, nation] = await Promise.all([
        startNode('fujian', { role: 'provincial', node: '350000' }),
        startNode('zhejiang', { role: 'provincial', node: '330000' }),
        startNode('nation', { role: 'national', node: '100000' }),
      ]);
      await nation.container.federation.subscribe(SYSTEM, '350000', fujian.cluster.url('xinyong'));
      await nation.container.federation.subscribe(SYSTEM, '330000', zhejiang.cluster.url('xinyong'));
      nation.container.federationApplier.start();
      // The nation's name index, as its server builds it, follows the applied records' changes.
      await nation.container.nameIndex.start();
    }, 180_000);

    afterAll(async () => {
      await Promise.all([stopNode(nation), stopNode(fujian), stopNode(zhejiang)]);
    });

    it('shows a record committed in a province nationally, with its origin, traced to the origin’s audit event', async () => {
      await penalties(node(fujian), [ofX('闽联网处〔2026〕1号')]);
      await until('the record reaches the nation', async () =>
        (await publicFile(node(nation), X.code)).body.includes('闽联网处〔2026〕1号'),
      );
      const [held] = await node(nation).cluster.query<{
        origin: string;
        origin_record_id: string;
        department_code: string;
      }>(
        `select origin, origin_record_id::text, department_code from record where payload->>'decision_no' = $1`,
        'xinyong',
        ['闽联网处〔2026〕1号'],
      );
      const [own] = await node(fujian).cluster.query<{ id: string }>(
        `select id::text from record where payload->>'decision_no' = $1`,
        'xinyong',
        ['闽联网处〔2026〕1号'],
      );
      expect(held).toMatchObject({
        origin: '350000',
        origin_record_id: own?.id,
        department_code: '350000-FZ-SCJG',
      });
      // The file says where the record came from.
      const file = (
        await node(nation).app.inject({ method: 'GET', url: `/api/public/subjects/${X.code}` })
      ).json<{
        categories: Array<{
          records: Array<{ provenance: { origin: string | null; department: { code: string } } }>;
        }>;
      }>();
      expect(
        file.categories.flatMap((c) =>
          c.records.map((r) => [r.provenance.origin, r.provenance.department.code]),
        ),
      ).toEqual([['350000', '350000-FZ-SCJG']]);

      // The nation's audit event of the apply names the province's transaction; the province's audit
      // chain has the ingest's event in that very transaction.
      const applied = await node(nation).cluster.query<{ txid: string }>(
        `select c->>'txid' as txid from audit_inbox i, jsonb_array_elements(i.details->'changes') c
       where i.action = 'federation.apply' and (c->>'record')::bigint = $1
       union all
       select c->>'txid' from audit_event e, jsonb_array_elements(e.details->'changes') c
       where e.action = 'federation.apply' and (c->>'record')::bigint = $1`,
        'xinyong',
        [Number(own?.id)],
      );
      expect(applied.length).toBeGreaterThan(0);
      const origin = await node(fujian).cluster.query<{ action: string }>(
        `select action from audit_inbox where txid = $1 union all select action from audit_event where txid = $1`,
        'xinyong',
        [applied[0]?.txid],
      );
      expect(origin.map((e) => e.action)).toContain('batch.commit');
    });

    it('resolves the same unified code from two provinces to one subject', async () => {
      await penalties(node(zhejiang), [
        { ...ofX('浙联网处〔2026〕1号'), 处罚机关: '杭州市市场监督管理局（演示）' },
      ]);
      await until('the second province’s record reaches the nation', async () =>
        (await publicFile(node(nation), X.code)).body.includes('浙联网处〔2026〕1号'),
      );
      const subjects = await node(nation).cluster.query<{ n: number; origins: string[] }>(
        `select count(distinct r.subject_id)::int as n, array_agg(distinct r.origin order by r.origin) as origins
       from record r where r.payload->>'decision_no' like '%联网处%'`,
        'xinyong',
      );
      expect(subjects[0]).toEqual({ n: 1, origins: ['330000', '350000'] });
      const search = await node(nation).app.inject({
        method: 'GET',
        url: `/api/public/subjects?q=${X.code}`,
      });
      expect(search.json<{ results: Array<{ name: string }> }>().results).toHaveLength(1);
      // National search by name answers from the in-memory index, fed by what the provinces sent.
      const health = await node(nation).app.inject({ method: 'GET', url: '/api/health' });
      expect(health.json<{ search: string }>().search).toBe('index');
      await until('the name index holds the subject', async () => {
        const byName = await node(nation).app.inject({
          method: 'GET',
          url: `/api/public/subjects?q=${encodeURIComponent('闽浙联网示范')}`,
        });
        return byName
          .json<{ results: Array<{ code: string | null }> }>()
          .results.some((r) => r.code === X.code);
      });
      // A credit check at the nation reads the records of both provinces.
      const officer = (
        await node(nation).container.auth.login({ username: 'officer.zj', password: DEMO_PASSWORD })
      ).actor;
      const check = await node(nation).container.checks.check(officer, {
        subjectCode: X.code,
        matter: 'government_procurement',
        purpose: '政府采购供应商资格审查',
      });
      expect([...new Set(check.records.map((r) => r.department))].sort()).toEqual([
        '330000-FZ-SCJG',
        '350000-FZ-SCJG',
      ]);
    });

    it('withdraws nationally what a repair in the province withdraws', async () => {
      const fj = node(fujian);
      const old = addDays(todayInShanghai(), -200);
      await penalties(fj, [ofX('闽联网处〔2025〕9号', old)]);
      await until('the old penalty reaches the nation', async () =>
        (await publicFile(node(nation), X.code)).body.includes('闽联网处〔2025〕9号'),
      );
      await fj.container.auth.createUser(SYSTEM, {
        username: 'federation.company',
        displayName: X.name,
        password: 'a-long-password-2026',
        role: 'subject_user',
        subject: X.code,
      });
      const company = (
        await fj.container.auth.login({ username: 'federation.company', password: 'a-long-password-2026' })
      ).actor;
      const reviewer = (await fj.container.auth.login({ username: 'reviewer.scjg', password: DEMO_PASSWORD }))
        .actor;
      const [record] = await fj.cluster.query<{ id: string }>(
        `select id::text from record where payload->>'decision_no' = $1 and is_current`,
        'xinyong',
        ['闽联网处〔2025〕9号'],
      );
      const application = await fj.container.repairs.apply(company, {
        recordId: Number(record?.id),
        statement: '罚款已缴纳，违法行为已整改',
        commitment: true,
      });
      const approved = await fj.container.repairs.decide(reviewer, application.id, {
        action: 'approve',
        reasons: '已履行处罚决定',
      });
      expect(approved.status).toBe('approved');
      expect((await publicFile(fj, X.code)).body).not.toContain('闽联网处〔2025〕9号');
      await until('the repair reaches the nation', async () => {
        const file = await publicFile(node(nation), X.code);
        return file.status === 200 && !file.body.includes('闽联网处〔2025〕9号');
      });
      // The other records of the subject are still shown nationally.
      expect((await publicFile(node(nation), X.code)).body).toContain('闽联网处〔2026〕1号');
    });

    it('never sends the nation what a province may not share', async () => {
      const fj = node(fujian);
      await penalties(fj, [
        {
          行政相对人名称: PERSON.name,
          行政相对人类别: '自然人',
          统一社会信用代码: '',
          证件类型: '身份证',
          证件号码: PERSON.id,
          行政处罚决定书文号: '闽联网处〔2026〕个1号',
        },
      ]);
      // A marker written after it: once the marker has arrived, the person's record had its chance.
      await penalties(fj, [ofX('闽联网处〔2026〕2号')]);
      await until('the marker reaches the nation', async () =>
        (await publicFile(node(nation), X.code)).body.includes('闽联网处〔2026〕2号'),
      );
      const [kept] = await fj.cluster.query<{ n: number }>(
        `select count(*)::int as n from federation_share where subject_kind = 'natural_person'`,
        'xinyong',
      );
      expect(kept?.n).toBe(1); // journalled in the province…
      const [sent] = await node(nation).cluster.query<{ persons: number; rows: number; internal: number }>(
        `select (select count(*)::int from subject where kind = 'natural_person') as persons,
         (select count(*)::int from federation_share where subject_kind = 'natural_person' or subject_code is null) as rows,
         (select count(*)::int from federation_share where batch_id is not null or status_reason is not null) as internal`,
        'xinyong',
      );
      expect(sent).toEqual({ persons: 0, rows: 0, internal: 0 }); // …never sent, nor the batch or reviewer's words
      const [withBatch] = await fj.cluster.query<{ n: number }>(
        'select count(*)::int as n from federation_share where batch_id is not null',
        'xinyong',
      );
      expect(withBatch?.n).toBeGreaterThan(0);
    });

    it('catches up with a province that went down and came back, nothing lost or doubled', async () => {
      const fj = node(fujian);
      await fj.cluster.stop('fast');
      // The nation goes on with the other province meanwhile.
      await penalties(node(zhejiang), [
        { ...ofX('浙联网处〔2026〕2号'), 处罚机关: '杭州市市场监督管理局（演示）' },
      ]);
      await until('the other province’s record arrives while one is down', async () =>
        (await publicFile(node(nation), X.code)).body.includes('浙联网处〔2026〕2号'),
      );
      await fj.cluster.start();
      const companies = Array.from({ length: 20 }, (_, k) => ({
        name: `闽江恢复测试${k}号贸易有限公司`,
        code: codes.uscc('91350100', `HF${String(k).padStart(6, '0')}`),
      }));
      await until('the province answers again', async () => {
        try {
          await penalties(
            fj,
            companies.map((c, k) => ({
              行政相对人名称: c.name,
              统一社会信用代码: c.code,
              行政处罚决定书文号: `闽恢复〔2026〕${k}号`,
            })),
          );
          return true;
        } catch {
          return false;
        }
      });
      const shared = async () =>
        (
          await fj.cluster.query<{ record_id: string }>(
            `select distinct record_id::text from federation_share
           where sharing in ('unconditional', 'conditional') and subject_kind <> 'natural_person' and subject_code is not null`,
            'xinyong',
          )
        )
          .map((r) => Number(r.record_id))
          .sort((a, b) => a - b);
      const expected = await shared();
      await until(
        'the nation catches up',
        async () => (await nationalRecords('350000')).length >= expected.length,
      );
      const held = (await nationalRecords('350000')).sort((a, b) => a - b);
      expect(held).toEqual(expected);
      const [counts] = await node(nation).cluster.query<{ received: number; failed: number }>(
        `select count(*)::int as received, count(apply_error)::int as failed from federation_share where origin = '350000'`,
        'xinyong',
      );
      const [journal] = await fj.cluster.query<{ n: number }>(
        `select count(*)::int as n from federation_share
       where sharing in ('unconditional', 'conditional') and subject_kind <> 'natural_person' and subject_code is not null`,
        'xinyong',
      );
      expect(counts).toEqual({ received: journal?.n, failed: 0 });
      const status = await node(nation).container.federation.status(SYSTEM);
      expect(status.origins?.map((o) => [o.origin, o.connected, o.waiting, o.failed])).toEqual([
        ['330000', true, 0, 0],
        ['350000', true, 0, 0],
      ]);
      // What `xinyong federation status` prints on each side.
      expect(describeStatus(status).join('\n')).toMatch(
        /province 350000: connected; \d+ received, \d+ applied, 0 waiting, 0 kept unapplied/,
      );
      const province = describeStatus(await fj.container.federation.status(SYSTEM)).join('\n');
      expect(province).toMatch(
        /A provincial node: 350000\.\nPublication xinyong_federation: \d+ record changes journalled, \d+ of them shareable/,
      );
      expect(province).toMatch(/replication slot xinyong_fed_350000: connected/);
    });
  },
);
