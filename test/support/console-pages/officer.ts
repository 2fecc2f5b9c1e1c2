/**
 * The credit officer's pages: a credit check's form, a batch check with a name two organisations
 * bear waiting for a code, and the feedback per measure after a check.
 */
import type { ServedApp } from '../browser.ts';
import { DEMO_PASSWORD } from '../../../src/modules/auth/index.ts';
import { codes, registrationRecord } from '../records.ts';
import type { ConsoleArea } from './index.ts';

async function cookieOf(t: ServedApp, username: string): Promise<string> {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD },
  });
  return String(login.headers['set-cookie']).split(';')[0] ?? '';
}

export const area: ConsoleArea = {
  name: 'credit officer',
  seed: async (t) => {
    const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
    const one = codes.uscc('91350102', 'MA8QFC01');
    const twin = codes.uscc('91350102', 'MA8QFC02');
    const registered = await t.container.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'registration',
      records: [
        registrationRecord(one, '福州核查示例建设有限公司'),
        registrationRecord(twin, '福州核查同名示例有限公司'),
        registrationRecord(codes.uscc('91350102', 'MA8QFC03'), '福州核查同名示例有限公司'),
      ],
    });
    if (registered.accepted + registered.duplicates !== 3) {
      throw new Error(`officer seed: registrations not accepted: ${JSON.stringify(registered)}`);
    }
    const cookie = await cookieOf(t, 'officer.zj');
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/checks/batch',
      headers: { cookie },
      payload: {
        subjects: [{ code: one }, { name: '福州核查同名示例有限公司' }],
        matter: 'bidding',
        purpose: '某工程施工招标投标资格审查',
      },
    });
    if (batch.statusCode !== 200) {
      throw new Error(`officer seed: batch check refused: ${batch.body}`);
    }
    return {};
  },
  pages: () => [
    { name: 'credit check', path: '/console/checks', ready: '#check-code', account: 'officer.zj' },
    {
      name: 'batch check',
      path: '/console/checks/batch',
      ready: '[id^="review-code-"]',
      account: 'officer.zj',
    },
    {
      name: 'feedback per measure',
      path: '/console/feedback',
      ready: '.cpage table.plain, .cpage p.muted',
      account: 'officer.zj',
    },
  ],
};
