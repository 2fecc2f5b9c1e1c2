/**
 * Demo mode (the default on an empty database): departments, institutions and one account per
 * role, with published passwords, so that a first run can be explored. `XINYONG_MODE=production`
 * seeds nothing and refuses to start while demo accounts exist.
 */
import { t, type Locale } from '../../platform/index.ts';
import type { Actor } from './auth.types.ts';
import type { AuthService } from './auth.service.ts';

const SYSTEM: Actor = { kind: 'system', name: 'demo' };

/** Published on purpose: these accounts exist only in demo mode. */
export const DEMO_PASSWORD = 'xinyong-demo-2026';

export const DEMO_DEPARTMENTS = [
  {
    code: 'FZ-SCJG',
    name: '福州市市场监督管理局（演示）',
    division: '350100',
    level: 'prefectural',
    domains: ['market_supervision', 'food_drug'],
    uscc: '1135010000366411XP',
  },
  {
    code: 'FZ-SW',
    name: '福州市税务局（演示）',
    division: '350100',
    level: 'prefectural',
    domains: ['taxation'],
    uscc: '11350100003664128P',
  },
  {
    code: 'FZ-FGW',
    name: '福州市发展和改革委员会（演示）',
    division: '350100',
    level: 'prefectural',
    domains: ['credit', 'public_resource_trading'],
    uscc: '11350100003664136J',
  },
  {
    code: 'GL-ZJ',
    name: '鼓楼区住房和城乡建设局（演示）',
    division: '350102',
    level: 'county',
    domains: ['construction'],
    uscc: '11350102003664144A',
  },
  {
    code: 'FZ-FY',
    name: '福州市中级人民法院（演示）',
    division: '350100',
    level: 'prefectural',
    domains: ['judicial'],
    uscc: '113501000036641528',
  },
] as const;

export const DEMO_INSTITUTIONS = [
  { code: 'DEMO-BANK', name: '演示商业银行', kind: 'bank' },
  { code: 'DEMO-GUARANTEE', name: '演示融资担保公司', kind: 'guarantor' },
] as const;

export const DEMO_USERS = [
  { username: 'admin', displayName: '平台管理员（演示）', role: 'platform_admin' },
  {
    username: 'clerk.scjg',
    displayName: '市场监管数据员（演示）',
    role: 'data_clerk',
    department: 'FZ-SCJG',
  },
  {
    username: 'reviewer.scjg',
    displayName: '市场监管审核员（演示）',
    role: 'reviewer',
    department: 'FZ-SCJG',
  },
  { username: 'clerk.sw', displayName: '税务数据员（演示）', role: 'data_clerk', department: 'FZ-SW' },
  {
    username: 'officer.zj',
    displayName: '住建信用核查员（演示）',
    role: 'credit_officer',
    department: 'GL-ZJ',
  },
  { username: 'auditor', displayName: '审计员（演示）', role: 'auditor' },
  { username: 'desk', displayName: '服务窗口（演示）', role: 'service_desk' },
  {
    username: 'bank.user',
    displayName: '银行用户（演示）',
    role: 'institution_user',
    institution: 'DEMO-BANK',
  },
  // The subject is GB 32100's own worked example code.
  {
    username: 'company.user',
    displayName: '企业用户（演示）',
    role: 'subject_user',
    subject: '91350100M000100Y43',
  },
] as const;

/** Seeds the demo organisations and accounts; returns the usernames created. */
export async function seedDemo(auth: AuthService): Promise<string[]> {
  for (const d of DEMO_DEPARTMENTS) {
    await auth.createDepartment(SYSTEM, { ...d, domains: [...d.domains] }, { demo: true });
  }
  for (const i of DEMO_INSTITUTIONS) {
    await auth.createInstitution(SYSTEM, i, { demo: true });
  }
  const created: string[] = [];
  for (const u of DEMO_USERS) {
    await auth.createUser(SYSTEM, { ...u, password: DEMO_PASSWORD }, { demo: true });
    created.push(u.username);
  }
  return created;
}

/** The lines that tell a person how to sign in to the demo, in `locale`. */
export function demoCredentials(locale: Locale): string[] {
  return [
    t(locale, 'auth.demo.accounts', { password: DEMO_PASSWORD }),
    ...DEMO_USERS.map((u) => {
      const where =
        'department' in u
          ? ` @ ${u.department}`
          : 'institution' in u
            ? ` @ ${u.institution}`
            : 'subject' in u
              ? ` ${t(locale, 'auth.demo.for_subject', { subject: u.subject })}`
              : '';
      return `    ${u.username.padEnd(14)} ${u.role}${where}`;
    }),
  ];
}
