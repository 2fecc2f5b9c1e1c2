import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { codes, penaltyRecord } from './support/records.ts';
import { addDays, addMonths, todayInShanghai } from '../src/platform/calendar/index.ts';
import { capture, COMPILED_CLI, runCli, useCliDatabase } from './support/cli.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * A CSV of records under the headings `xinyong catalog template` prints for the item (required
 * headings marked *): what a department sends once it has filled the template in.
 */
async function filledTemplate(file: string, item: string, records: Array<Record<string, unknown>>) {
  const io = capture();
  expect(await runCli(['node', 'xinyong', 'catalog', 'template', item])).toBe(0);
  const headings = io.out().trimEnd().split(',');
  vi.restoreAllMocks();
  const value = (r: Record<string, unknown>, h: string) => {
    const v = r[h.replace(/\*$/, '')];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  };
  await fs.writeFile(file, stringify([headings, ...records.map((r) => headings.map((h) => value(r, h)))]));
}

describe('xinyong id', () => {
  it('explains each check and exits 0 when every value is valid', async () => {
    const io = capture();
    const code = await runCli(['node', 'xinyong', 'id', '91350100M000100Y43']);
    expect(code).toBe(0);
    expect(io.out()).toContain('91350100M000100Y43  valid  uscc');
    expect(io.out()).toContain('division: 350100 福建省福州市');
  });

  it('exits 1 when a value is invalid, and prints JSON with --json', async () => {
    const io = capture();
    const code = await runCli([
      'node',
      'xinyong',
      'id',
      '--json',
      '91350100M000100Y43',
      '91350100M000100Y4Z',
    ]);
    expect(code).toBe(1);
    const parsed = JSON.parse(io.out()) as { results: Array<{ valid: boolean; kind: string }> };
    expect(parsed.results.map((r) => [r.kind, r.valid])).toEqual([
      ['uscc', true],
      ['uscc', false],
    ]);
  });

  it('runs as the installed command', () => {
    const run = spawnSync(process.execPath, [...COMPILED_CLI, 'id', '--json', '77604965-3'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'org_code', valid: true, normalized: '776049653' });
  });
});

describe('a database that cannot be reached', () => {
  it('exits 4 with one clear line, not a stack', async () => {
    const saved = { ...process.env };
    process.env.DATABASE_URL = 'postgres://nobody:nothing@127.0.0.1:1/none';
    process.env.LOG_LEVEL = 'silent';
    try {
      const io = capture();
      const code = await runCli(['node', 'xinyong', 'batch', 'list', '--department', 'FZ-SCJG']);
      expect(code).toBe(4);
      expect(io.err()).toBe(
        'error: the database cannot be reached (connect ECONNREFUSED 127.0.0.1:1): is PostgreSQL running, and is DATABASE_URL right?\n',
      );
    } finally {
      process.env = saved;
    }
  });
});

describe('the language of the command line', () => {
  const unreachable = ['batch', 'list', '--department', 'FZ-SCJG'];

  async function failureLine(argv: string[], lang: string | undefined): Promise<string> {
    const saved = { ...process.env };
    process.env.DATABASE_URL = 'postgres://nobody:nothing@127.0.0.1:1/none';
    process.env.LOG_LEVEL = 'silent';
    if (lang === undefined) {
      delete process.env.XINYONG_LANG;
    } else {
      process.env.XINYONG_LANG = lang;
    }
    try {
      const io = capture();
      expect(await runCli(['node', 'xinyong', ...argv])).toBe(4);
      return io.err();
    } finally {
      process.env = saved;
    }
  }

  it('is Chinese by default, English with --lang en or XINYONG_LANG=en', async () => {
    expect(await failureLine(unreachable, undefined)).toBe(
      '错误：无法连接数据库（connect ECONNREFUSED 127.0.0.1:1）：PostgreSQL 是否在运行，DATABASE_URL 是否正确？\n',
    );
    const english =
      'error: the database cannot be reached (connect ECONNREFUSED 127.0.0.1:1): is PostgreSQL running, and is DATABASE_URL right?\n';
    expect(await failureLine(['--lang', 'en', ...unreachable], undefined)).toBe(english);
    expect(await failureLine([...unreachable, '--lang=en'], 'zh-CN')).toBe(english);
    expect(await failureLine(unreachable, 'en')).toBe(english);
    // --lang comes before XINYONG_LANG.
    expect(await failureLine(['--lang', 'zh-CN', ...unreachable], 'en')).toMatch(/^错误：无法连接数据库/);
  });

  it("says a command's output and its help in Chinese when not told otherwise", () => {
    // As at an operator's terminal: no XINYONG_LANG (the tests set it to English).
    const env = { ...process.env };
    delete env.XINYONG_LANG;
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [...COMPILED_CLI, ...args], { encoding: 'utf8', env });

    const id = run('id', '91350100M000100Y43');
    expect(id.status).toBe(0);
    expect(id.stdout).toMatch(/^91350100M000100Y43 {2}有效 {2}uscc — 统一社会信用代码$/m);
    expect(id.stdout).toMatch(/^ {2}通过 {5}division: 350100 福建省福州市$/m);

    const help = run('catalog', 'template', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^用法： xinyong catalog template \[options\] <item>$/m);
    expect(help.stdout).toMatch(/^参数：\n {2}item +目录项代码，例如 admin_penalty$/m);
    expect(help.stdout).toMatch(/^选项：$/m);
    expect(help.stdout).toMatch(/--format <format> +默认：按 --out 的文件扩展名确定，否则为 csv（可选值：/);
    expect(help.stdout).toMatch(/^ {2}-h, --help +显示命令帮助$/m);
    // No English heading is left.
    expect(help.stdout).not.toMatch(/^[A-Za-z ]+:/m);
  });

  it("says a command's output and its help in English with --lang en", async () => {
    const saved = process.env.XINYONG_LANG;
    process.env.XINYONG_LANG = 'zh-CN';
    try {
      const io = capture();
      expect(await runCli(['node', 'xinyong', '--lang', 'en', 'id', '91350100M000100Y43'])).toBe(0);
      expect(io.out()).toMatch(
        /^91350100M000100Y43 {2}valid {2}uscc — 统一社会信用代码 unified social credit code$/m,
      );
      expect(io.out()).toMatch(/^ {2}ok {7}division: /m);
      expect(await runCli(['node', 'xinyong', '--lang', 'en', 'catalog', 'template', '--help'])).toBe(0);
      expect(io.out()).toMatch(/^Usage: xinyong catalog template \[options\] <item>$/m);
      expect(io.out()).toMatch(/--format <format> +default: as --out is named, else csv \(choices:/);
      expect(io.out()).toMatch(/^ {2}-h, --help +display help for command$/m);
    } finally {
      process.env.XINYONG_LANG = saved;
    }
  });

  it("says commander's usage errors in the command's language", async () => {
    const io = capture();
    const template = ['catalog', 'template', 'admin_penalty', '--format', 'pdf'];
    expect(await runCli(['node', 'xinyong', '--lang', 'zh-CN', ...template])).toBe(1);
    expect(io.err()).toBe("错误：选项 '--format <format>' 的参数值 'pdf' 无效。可选值为 csv、xlsx。\n");
    expect(await runCli(['node', 'xinyong', '--lang', 'zh-CN', 'catlog'])).toBe(1);
    expect(io.err()).toContain("错误：未知命令 'catlog'\n（是否要输入 catalog？）\n");
    expect(await runCli(['node', 'xinyong', '--lang', 'zh-CN', 'calendar', 'add', '2031-02-30', '1'])).toBe(
      1,
    );
    expect(io.err()).toContain(
      "错误：参数 'date' 的值 '2031-02-30' 无效。\"2031-02-30\" 不是有效日期（格式为 YYYY-MM-DD）\n",
    );
    expect(await runCli(['node', 'xinyong', '--lang', 'en', 'catlog'])).toBe(1);
    expect(io.err()).toContain("error: unknown command 'catlog'\n(Did you mean catalog?)\n");
  });

  it('refuses a language it does not speak', async () => {
    const io = capture();
    expect(await runCli(['node', 'xinyong', '--lang', 'fr', 'id', '91350100M000100Y4Q'])).toBe(1);
    expect(io.err()).toMatch(/--lang <locale>.*fr.*zh-CN, en/s);
  });
});

describe('xinyong calendar', () => {
  useCliDatabase();

  it('loads a year table from a file and uses it for deadlines', async () => {
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-cal-')), '2031.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        year: 2031,
        source: '测试通知',
        holidays: [{ date: '2031-01-01', name: '元旦' }],
        workdays: [{ date: '2031-01-04', name: '元旦调休' }],
      }),
    );
    const io = capture();
    expect(await runCli(['node', 'xinyong', 'calendar', 'load', file])).toBe(0);
    expect(io.out()).toContain('loaded the 2031 table: 1 holidays, 1 make-up workdays');
    expect(await runCli(['node', 'xinyong', 'calendar', 'add', '2031-01-03', '1'])).toBe(0);
    expect(io.out()).toContain('2031-01-04\n');
    expect(await runCli(['node', 'xinyong', 'calendar', 'add', '2032-01-02', '1'])).toBe(0);
    expect(io.out()).toMatch(/2032-01-05 {2}\(provisional: no official table for 2032\)/);
  });

  it('names the bad argument or field and exits non-zero', async () => {
    const io = capture();
    expect(await runCli(['node', 'xinyong', 'calendar', 'add', '2031-02-30', '1'])).not.toBe(0);
    expect(io.err()).toContain('"2031-02-30" is not a real date written YYYY-MM-DD');
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-cal-')), 'bad.json');
    await fs.writeFile(
      file,
      JSON.stringify({ year: 2033, source: 'x', holidays: [{ date: '2034-01-01', name: 'x' }] }),
    );
    expect(await runCli(['node', 'xinyong', 'calendar', 'load', file])).toBe(1);
    expect(io.err()).toContain('error: holidays.0.date: 2034-01-01 is not in 2033');
  });
});

describe('xinyong catalog', () => {
  useCliDatabase();

  it('lists the items with their periods and shows one in full', async () => {
    const io = capture();
    expect(await runCli(['node', 'xinyong', 'catalog', 'list'])).toBe(0);
    expect(io.out()).toContain('national-base — 全国公共信用信息基础目录 (national_base), version 1');
    expect(io.out()).toMatch(/admin_penalty +行政处罚信息/);
    expect(await runCli(['node', 'xinyong', 'catalog', 'show', 'admin_penalty'])).toBe(0);
    expect(io.out()).toContain('"document": "行政处罚决定书"');
    expect(await runCli(['node', 'xinyong', 'catalog', 'show', 'gossip'])).toBe(1);
    expect(io.err()).toContain('error: no catalog item gossip');
  });

  it("prints an item's template as CSV, writes it as XLSX, and names a bad option", async () => {
    const io = capture();
    expect(await runCli(['node', 'xinyong', 'catalog', 'template', 'admin_penalty'])).toBe(0);
    const [headings, ...rest] = io.out().split('\n');
    expect(headings).toMatch(/^行政相对人名称\*,行政相对人类别\*,统一社会信用代码,/);
    expect(headings).toContain(',处罚决定日期*,');
    expect(rest).toEqual(['']);

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-template-'));
    const xlsx = path.join(dir, 'penalty.xlsx');
    expect(await runCli(['node', 'xinyong', 'catalog', 'template', 'admin_penalty', '--out', xlsx])).toBe(0);
    expect(io.out()).toMatch(
      /admin_penalty template \(xlsx\) written to .*penalty\.xlsx: \d+ columns, \d+ required/,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['行政处罚信息', '说明']);
    const csv = path.join(dir, 'penalty.csv');
    expect(await runCli(['node', 'xinyong', 'catalog', 'template', 'admin_penalty', '--out', csv])).toBe(0);
    expect((await fs.readFile(csv, 'utf8')).replace(/^\uFEFF/, '')).toBe(`${headings}\n`);

    expect(
      await runCli(['node', 'xinyong', 'catalog', 'template', 'admin_penalty', '--format', 'xlsx']),
    ).toBe(1);
    expect(io.err()).toContain('error: --out: an XLSX template is written to a file');
    expect(
      await runCli([
        'node',
        'xinyong',
        'catalog',
        'template',
        'admin_penalty',
        '--format',
        'csv',
        '--out',
        xlsx,
      ]),
    ).toBe(1);
    expect(io.err()).toContain('ends in .xlsx, but --format is csv');
    expect(await runCli(['node', 'xinyong', 'catalog', 'template', 'admin_penalty', '--format', 'pdf'])).toBe(
      1,
    );
    expect(io.err()).toContain("argument 'pdf' is invalid. Allowed choices are csv, xlsx.");
    expect(await runCli(['node', 'xinyong', 'catalog', 'template', 'gossip'])).toBe(1);
    expect(io.err()).toContain('error: no catalog item gossip');
  });

  it('refuses a catalog that breaks the law, listing every rule broken, and keeps the old version', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-catalog-'));
    const file = path.join(dir, 'local.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        catalog: {
          code: 'local-x',
          kind: 'local_supplementary',
          nameZh: '本地目录',
          nameEn: 'Local',
          legalBases: ['GBF-2020-49'],
        },
        legalBases: [
          {
            code: 'CITY-NOTICE',
            title: '某市通知',
            issuer: '某市人民政府办公室',
            rank: 'normative_document',
          },
        ],
        items: [
          {
            code: 'city_points',
            nameZh: '市民信用积分',
            nameEn: 'Citizen credit points',
            category: 'other',
            subjectKinds: ['natural_person'],
            fields: [
              {
                key: 'name',
                nameZh: '姓名',
                nameEn: 'Name',
                type: 'text',
                required: true,
                role: 'subject_name',
                personal: true,
              },
              {
                key: 'id_no',
                nameZh: '身份证号',
                nameEn: 'ID',
                type: 'code',
                identifierKind: 'citizen_id',
                role: 'subject_person_id',
                personal: true,
                masking: { kind: 'citizen_id' },
              },
            ],
            legalBases: [{ basis: 'CITY-NOTICE', uses: ['record', 'disclose', 'disclose_personal'] }],
            collectingDepartment: '某市信用办',
            collectors: { domains: [] },
            sharing: 'none',
            disclosure: 'public',
            display: {
              from: 'decision_date',
              default: { shortestMonths: null, longestMonths: null, public: true },
            },
            dishonesty: false,
          },
        ],
      }),
    );
    const io = capture();
    expect(await runCli(['node', 'xinyong', 'catalog', 'load', file])).toBe(1);
    const errors = io.err();
    expect(errors).toContain('[D49.4.masking]');
    expect(errors).toContain('[D49.1.collector]');
    expect(errors).toContain('[D49.1.record_basis]');
    expect(errors).toContain('[D49.4.personal_disclosure_basis]');
    expect(await runCli(['node', 'xinyong', 'catalog', 'list'])).toBe(0);
    expect(io.out()).not.toContain('local-x');
  });
});

describe('xinyong token', () => {
  useCliDatabase();

  it('creates a token shown once on stdout, lists it without its secret, and revokes it', async () => {
    const io = capture();
    expect(
      await runCli([
        'node',
        'xinyong',
        'token',
        'create',
        '--department',
        'FZ-SCJG',
        '--role',
        'data_clerk',
        '--expires',
        '30d',
      ]),
    ).toBe(0);
    const token = io.out().trim();
    expect(token).toMatch(/^xy_[A-Za-z0-9_-]{43}$/);
    expect(io.err()).toContain('It is shown only now');
    expect(await runCli(['node', 'xinyong', 'token', 'list', '--department', 'FZ-SCJG'])).toBe(0);
    expect(io.out()).toMatch(/ {3}1 {2}xy_\S{6}… +active +data_clerk +FZ-SCJG/);
    expect(io.out().split(token).length).toBe(2); // printed once, at creation
    expect(await runCli(['node', 'xinyong', 'token', 'revoke', '1'])).toBe(0);
    expect(io.out()).toMatch(/token 1 \(xy_\S{6}…\) revoked at /);
  });

  it('names the bad option', async () => {
    const io = capture();
    expect(
      await runCli([
        'node',
        'xinyong',
        'token',
        'create',
        '--department',
        'FZ-SCJG',
        '--role',
        'data_clerk',
        '--expires',
        'forever',
      ]),
    ).toBe(1);
    expect(io.err()).toContain('--expires: "forever" is not a duration such as 90d, 12h or 1y');
    expect(
      await runCli(['node', 'xinyong', 'token', 'create', '--department', 'NOPE', '--role', 'data_clerk']),
    ).toBe(1);
    expect(io.err()).toContain('error: no department NOPE');
  });
});

describe('xinyong audit', () => {
  const cli = useCliDatabase();

  it('checkpoints and verifies, and exits 1 naming the first broken link', async () => {
    const io = capture();
    expect(await runCli(['node', 'xinyong', 'audit', 'checkpoint'])).toBe(0);
    expect(io.out()).toMatch(
      /^checkpoint: event \d+, hash [0-9a-f]{64}, signed with key [0-9a-f]{16}, appended to .*checkpoints\.jsonl$/m,
    );
    expect(await runCli(['node', 'xinyong', 'audit', 'verify'])).toBe(0);
    expect(io.out()).toMatch(/^ok: \d+ events verified through event \d+ .*1 signed checkpoints/m);
    const db = cli.host().database.db;
    await sql`alter table audit_event disable trigger audit_event_append_only`.execute(db);
    await sql`update audit_event set actor = 'user:someone-else' where seq = 2`.execute(db);
    expect(await runCli(['node', 'xinyong', 'audit', 'verify'])).toBe(1);
    expect(io.out()).toContain('BROKEN at event 2: event 2 was altered: its content does not match its hash');
  });
});

describe('npm start', () => {
  it('migrates a fresh embedded database, serves health and prints the addresses', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-start-'));
    const child = spawn(process.execPath, [...COMPILED_CLI, 'serve'], {
      env: { ...process.env, DATABASE_URL: '', XINYONG_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const docs = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address printed: ${output}`)), 120_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /API docs\s+(http:\/\/\S+)/.exec(output);
          if (match?.[1] !== undefined) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      expect(output).toContain('embedded PGlite');
      expect(output).toContain('migrations applied: 0001_platform, 0002_catalog, 0003_access, 0004_audit');
      expect(output).toContain('0009_quality');
      expect(output).toContain('demo accounts (password for all: xinyong-demo-2026');
      // The first start ingests the demonstration data through the ordinary path.
      expect(output).toMatch(/demo data: batch 1 registration: 400 records/);
      expect(output).toMatch(/demo data: batch 2 admin_licensing: 600 records, 0 rejected/);
      expect(output).toMatch(/demo data: batch 3 admin_penalty: \d{4} records, \d+ rejected/);
      expect(output).toContain('catalog national-base version 1: created');
      const health = await fetch(docs.replace('/api/docs', '/api/health'));
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite' });
      // The name index is built once the server listens.
      await expect
        .poll(
          async () =>
            ((await (await fetch(docs.replace('/api/docs', '/api/health'))).json()) as { search: string })
              .search,
          {
            timeout: 20_000,
          },
        )
        .toBe('index');
      const page = await fetch(docs);
      expect(page.status).toBe(200);
      // The showcase: company.user opens its own file with records; the lists were walked.
      expect(output).toMatch(/serious-dishonesty list: .* listed \d{4}-\d{2}-\d{2}/);
      expect(output).toContain('a penalty naming only the name waits in FZ-SCJG');
      const api = docs.replace('/api/docs', '/api');
      const login = await fetch(`${api}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'company.user', password: 'xinyong-demo-2026' }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const own = await fetch(`${api}/subjects/91350100M000100Y43/file`, { headers: { cookie } });
      expect(own.status).toBe(200);
      const file = (await own.json()) as { categories: Array<{ category: string }> };
      expect(file.categories.map((c) => c.category)).toEqual(
        expect.arrayContaining(['registration', 'administrative_licensing', 'administrative_penalty']),
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});

describe('xinyong ingest', () => {
  const db = useCliDatabase();

  it('ends a summary with rejected rows with the command that gets them', async () => {
    const file = path.join(db.database().filesDir, 'penalties.csv');
    await filledTemplate(file, 'admin_penalty', [
      penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕401号' }),
      penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕402号', 处罚决定日期: '2099-01-01' }),
    ]);
    const ingest = ['node', 'xinyong', 'ingest', file, '--item', 'admin_penalty', '--department', 'FZ-SCJG'];
    const io = capture();
    expect(await runCli(ingest)).toBe(3);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^batch (\d+) committed: admin_penalty from FZ-SCJG$/);
    const batch = /^batch (\d+)/.exec(lines[0] ?? '')?.[1];
    expect(lines[1]).toContain('total 2, accepted 1, rejected 1');
    expect(lines.at(-1)).toBe(
      `rejected rows, with the reasons: xinyong batch errors ${batch} --out errors.xlsx`,
    );

    // Sent again: one duplicate, one rejected; as JSON, nothing but the summary.
    const json = capture();
    expect(await runCli([...ingest, '--json'])).toBe(3);
    expect(JSON.parse(json.out())).toMatchObject({ duplicates: 1, rejected: 1 });
  });

  it('adds nothing when every row was accepted', async () => {
    const file = path.join(db.database().filesDir, 'clean.csv');
    await filledTemplate(file, 'admin_penalty', [
      penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕403号' }),
    ]);
    const io = capture();
    expect(
      await runCli(['node', 'xinyong', 'ingest', file, '--item', 'admin_penalty', '--department', 'FZ-SCJG']),
    ).toBe(0);
    expect(io.out()).not.toContain('xinyong batch errors');
    expect(io.out().trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('xinyong check', () => {
  const db = useCliDatabase();

  it('checks the bidders of a CSV file by code or name, one line each and a summary', async () => {
    const file = path.join(db.database().filesDir, 'bidders.csv');
    await fs.writeFile(
      file,
      '统一社会信用代码,名称\n91350100M000100Y43,福州某电子有限公司\n91350100M000100Y44,\n,福州某不存在有限公司\n',
    );
    const io = capture();
    const args = ['node', 'xinyong', 'check', '--file', file, '--matter', 'bidding', '--department', 'GL-ZJ'];
    expect(await runCli(args)).toBe(0);
    expect(io.out()).toContain('91350100M000100Y43: not_found');
    expect(io.out()).toMatch(/91350100M000100Y44: invalid — code: /);
    expect(io.out()).toContain('福州某不存在有限公司: not_found');
    expect(io.out()).toContain('subjects 3, checked 0, notFound 2');
    expect(
      await runCli([
        'node',
        'xinyong',
        'check',
        '91350100M000100Y43',
        '--matter',
        'lottery',
        '--department',
        'GL-ZJ',
      ]),
    ).toBe(1);
    expect(io.err()).toContain('matter: one of');
  });

  it('prints the list entries and records it found, then each measure with its legal basis', async () => {
    const code = codes.uscc('91350100', 'MA6CHK01');
    // A month ago: a general penalty is shown for a year from its decision.
    const decided = addDays(todayInShanghai(), -30);
    const name = '福州某核查贸易有限公司';
    const court = path.join(db.database().filesDir, 'debtors.csv');
    await filledTemplate(court, 'dishonest_judgment_debtor', [
      {
        '失信被执行人姓名/名称': name,
        统一社会信用代码: code,
        法定代表人或者负责人姓名: '张三',
        执行法院: '福州市中级人民法院（演示）',
        案号: '（2025）闽01执678号',
        执行依据文号: '（2024）闽01民初90号',
        生效法律文书确定的义务: '支付货款十万元',
        失信被执行人行为具体情形: '有履行能力而拒不履行生效法律文书确定义务',
        立案日期: '2025-01-10',
        发布日期: '2025-06-10',
        数据来源单位: '福州市中级人民法院（演示）',
        数据来源单位统一社会信用代码: '113501000036641528',
      },
    ]);
    const penalties = path.join(db.database().filesDir, 'check-penalties.csv');
    await filledTemplate(penalties, 'admin_penalty', [
      penaltyRecord({
        行政相对人名称: name,
        统一社会信用代码: code,
        行政处罚决定书文号: '榕市监处〔2025〕501号',
        处罚决定日期: decided,
        处罚类别: '罚款',
        处罚内容: '罚款五万元',
        '罚款金额（万元）': 5,
      }),
    ]);
    const ingest = (file: string, item: string, department: string) =>
      runCli(['node', 'xinyong', 'ingest', file, '--item', item, '--department', department]);
    const io = capture();
    expect(await ingest(court, 'dishonest_judgment_debtor', 'FZ-FY')).toBe(0);
    expect(await ingest(penalties, 'admin_penalty', 'FZ-SCJG')).toBe(0);

    const before = io.out().length;
    expect(
      await runCli(['node', 'xinyong', 'check', code, '--matter', 'bidding', '--department', 'GL-ZJ']),
    ).toBe(0);
    const lines = io.out().slice(before).trimEnd().split('\n');
    expect(lines[0]).toBe(
      `${name} (legal_person, ${code}) — bidding, as of ${todayInShanghai()}, check ${lines[0]?.split(' ').at(-1)}`,
    );
    expect(lines.slice(1, 6)).toEqual([
      '  list entries (1):',
      '    失信被执行人名单 [COURT-DISHONEST-DEBTOR]: decided 2025-06-10 by FZ-FY, document (2025)闽01执678号, until removed',
      '  records (2):',
      `    行政处罚信息 (admin_penalty), general: decided ${decided} by FZ-SCJG, document 榕市监处〔2025〕501号, period until ${addMonths(decided, 12)}`,
      '    失信被执行人信息 (dishonest_judgment_debtor), serious: decided 2025-06-10 by FZ-FY, document (2025)闽01执678号, no end date',
    ]);
    expect(lines[6]).toMatch(/^ {2}measures \(\d+\):$/);
    expect(lines[7]).toMatch(
      /^ {4}JD-[\d-]+ \S+ — (mandatory|recommended), binding; basis 中办发〔2016〕64号 \(ZBF-2016-64, [\w.]+:\d+\)$/,
    );
  });
});
