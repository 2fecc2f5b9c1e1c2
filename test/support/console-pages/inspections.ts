/**
 * Graded inspection sampling (双随机、一公开): the demo construction department's credit officer
 * announces two seeds and draws with one from a pool of four companies, so the console page lists
 * a past draw and an unused seed; the public list and the draw's public page show it too. The
 * reviewer of another department sees none of it in the console.
 */
import { DEMO_PASSWORD } from '../../../src/modules/auth/index.ts';
import { codes, registrationRecord } from '../records.ts';
import type { ConsoleArea } from './index.ts';

const POOL = ['MA8CHC01', 'MA8CHC02', 'MA8CHC03', 'MA8CHC04'].map((body, i) => ({
  code: codes.uscc('91350102', body),
  name: `福州抽查示例${'甲乙丙丁'[i] ?? ''}建设有限公司`,
}));

export const area: ConsoleArea = {
  name: 'inspections',
  seed: async (t) => {
    const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
    const registered = await t.container.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'registration',
      records: POOL.map((s) => registrationRecord(s.code, s.name)),
    });
    if (registered.rejected > 0) {
      throw new Error(`inspections seed: registrations refused: ${JSON.stringify(registered)}`);
    }
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'officer.zj', password: DEMO_PASSWORD },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const announce = async (purpose: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/inspections/seeds',
        headers: { cookie },
        payload: { purpose },
      });
      if (res.statusCode !== 201) {
        throw new Error(`inspections seed: seed refused: ${res.body}`);
      }
      return res.json<{ id: number }>().id;
    };
    const seedId = await announce('2026年第四季度建筑施工企业监督检查');
    await announce('2027年第一季度建筑施工企业监督检查');
    const drawn = await t.app.inject({
      method: 'POST',
      url: '/api/inspections/draws',
      headers: { cookie },
      payload: {
        department: 'GL-ZJ',
        matter: '建筑施工企业安全生产许可条件检查',
        seedId,
        pool: { codes: POOL.map((s) => s.code) },
        rates: { A: 0.1, B: 0.2, C: 0.5, D: 1, unrated: 0.5 },
        inspectors: { pool: ['张建国', '李明', '王芳', '陈静'], perSubject: 2 },
      },
    });
    if (drawn.statusCode !== 201) {
      throw new Error(`inspections seed: draw refused: ${drawn.body}`);
    }
    return { draw: String(drawn.json<{ id: number }>().id) };
  },
  pages: (seeded) => [
    {
      name: 'random inspections (credit officer)',
      path: '/console/inspections',
      ready: '#past-title ~ .table-wrap tbody tr',
      account: 'officer.zj',
    },
    {
      name: 'random inspections (reviewer)',
      path: '/console/inspections',
      ready: '#draw-seed',
      account: 'reviewer.scjg',
    },
    {
      name: 'inspections (public, with a draw)',
      path: '/inspections',
      ready: 'main #inspections-seeds ~ table tbody tr',
      account: 'officer.zj',
    },
    {
      name: 'inspection draw (public)',
      path: `/inspections/${seeded.draw ?? ''}`,
      ready: 'main .draw table.draw-table tbody tr',
      account: 'officer.zj',
    },
  ],
};
