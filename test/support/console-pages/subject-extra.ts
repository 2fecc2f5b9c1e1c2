/**
 * The subject's authorisations (one granted to the demo bank, one revoked) and its commitments
 * (one signed), as the demo company's account sees them.
 */
import { DEMO_PASSWORD } from '../../../src/modules/auth/index.ts';
import { registrationRecord } from '../records.ts';
import type { ConsoleArea } from './index.ts';

const COMPANY = '91350100M000100Y43'; // the demo company user's

/** A day `months` from today in Asia/Shanghai. */
function monthsAhead(months: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, 28))).toISOString().slice(0, 10);
}

export const area: ConsoleArea = {
  name: 'subject extra',
  seed: async (t) => {
    const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
    await t.container.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'registration',
      records: [registrationRecord(COMPANY, '福州某授权承诺示例有限公司')],
    });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'company.user', password: DEMO_PASSWORD },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const grant = (purpose: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/me/authorisations',
        headers: { cookie },
        payload: {
          institution: 'DEMO-BANK',
          categories: ['administrative_penalty', 'serious_dishonesty_list'],
          purpose,
          validUntil: monthsAhead(6),
        },
      });
    const granted = await grant('办理流动资金贷款的信用审查');
    if (granted.statusCode !== 201) {
      throw new Error(`subject seed: authorisation refused: ${granted.body}`);
    }
    const revoked = (await grant('办理授信的信用审查')).json<{ id: number }>();
    await t.app.inject({
      method: 'POST',
      url: `/api/me/authorisations/${revoked.id}/revoke`,
      headers: { cookie },
    });
    const signed = await t.app.inject({
      method: 'POST',
      url: '/api/commitments',
      headers: { cookie },
      payload: {
        kind: 'licensing',
        department: 'FZ-SCJG',
        matter: '食品经营许可（告知承诺）',
        fulfilBy: monthsAhead(3),
      },
    });
    if (signed.statusCode !== 201) {
      throw new Error(`subject seed: commitment refused: ${signed.body}`);
    }
    return {};
  },
  pages: () => [
    {
      name: 'authorisations',
      path: '/me/authorisations',
      ready: 'article.record',
      account: 'company.user',
    },
    {
      name: 'commitments',
      path: '/me/commitments',
      ready: 'article.record',
      account: 'company.user',
    },
  ],
};
