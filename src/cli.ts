/**
 * The `xinyong` command line. Every command builds the platform through the same composition
 * root as the server.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
// Two leaves with no imports of their own, taken directly so that building the program (and its
// help) loads nothing else.
import { isCivilDate } from './platform/calendar/civil-date.ts';
import { MATTERS } from './modules/disclosure/disclosure.types.ts';
import { LOCALES, type Locale } from './platform/i18n/locale.ts';
import { VERSION } from './version.ts';
import { cliLocale, withoutLang } from './cli/locale.ts';
import type { ListOptions } from './cli/audit.ts';
import type { TemplateOptions } from './cli/catalog.ts';
import type { DepartmentOptions, TokenOptions, UserOptions } from './cli/access.ts';
import type { IngestOptions, MappingOptions } from './cli/ingest.ts';
import type { ResolveOptions, RevokeOptions } from './cli/review.ts';
import type { CheckOptions } from './cli/check.ts';

/**
 * Each command loads its own code when it runs: `xinyong --help` and `xinyong id` load neither
 * the database nor the HTTP server.
 */
const load = {
  calendar: () => import('./cli/calendar.ts'),
  audit: () => import('./cli/audit.ts'),
  catalog: () => import('./cli/catalog.ts'),
  access: () => import('./cli/access.ts'),
  id: () => import('./cli/id.ts'),
  ingest: () => import('./cli/ingest.ts'),
  review: () => import('./cli/review.ts'),
  file: () => import('./cli/file.ts'),
  check: () => import('./cli/check.ts'),
  quality: () => import('./cli/quality.ts'),
  serve: () => import('./cli/serve.ts'),
};

/** The configuration, read from the environment when a command needs it. */
const loadConfig = async () => (await import('./platform/index.ts')).loadConfig();
import { callerPath, cliIo, hostContainer, out, runHosted, speaking, warn, type CliIo } from './cli/io.ts';
import { forwardCommand, NoServerError, runningServerSocket } from './cli/command-socket.ts';
import { reportFailure } from './cli/failure.ts';

// Output piped into a reader that stops early (`| head`) ends the command quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') {
    process.exit(0);
  }
  throw err;
});

function civilDate(value: string): string {
  if (!isCivilDate(value)) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a real date written YYYY-MM-DD`);
  }
  return value;
}

function wholeNumber(value: string): number {
  if (!/^-?\d+$/.test(value)) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a whole number`);
  }
  return Number(value);
}

/** How many events `audit list` prints: the listing is read in one go, so it has a ceiling. */
function eventCount(value: string): number {
  const n = wholeNumber(value);
  if (n < 1 || n > 100_000) {
    throw new InvalidArgumentError(`${value} is not a number of events from 1 to 100000`);
  }
  return n;
}

function port(value: string): number {
  const n = wholeNumber(value);
  if (n < 0 || n > 65535) {
    throw new InvalidArgumentError(`${value} is not a port number (0–65535)`);
  }
  return n;
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('xinyong')
    .description('Xinyong 信用 — public credit information platform')
    .version(VERSION)
    .addOption(
      new Option('--lang <locale>', 'the language of messages (default: XINYONG_LANG, else zh-CN)').choices(
        LOCALES,
      ),
    )
    .exitOverride()
    // Help and usage errors go where the command's output goes (the caller's terminal, also when
    // the command runs inside the server).
    .configureOutput({ writeOut: (text) => cliIo().stdout(text), writeErr: (text) => cliIo().stderr(text) });

  program
    .command('serve')
    .description('migrate the database, start the HTTP server and print its addresses')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)', port)
    .option('-H, --host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .action(async (opts: { port?: number; host?: string }) => {
      const config = await loadConfig();
      await (
        await load.serve()
      ).serve(
        {
          ...config,
          // --lang sets the language of the server's lines and of answers that ask for none.
          locale: program.opts<{ lang?: Locale }>().lang ?? config.locale,
          http: { ...config.http, host: opts.host ?? config.http.host, port: opts.port ?? config.http.port },
        },
        out,
        // Commands typed while the server owns the embedded database run here, on its platform.
        (container) => (argv, io) => runHosted(io, container, () => runCli(['node', 'xinyong', ...argv])),
      );
    });

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      if (hostContainer() !== undefined) {
        out('The schema is up to date: the running server brought it up to date when it started.');
        return;
      }
      const { createContainer } = await import('./container.ts');
      const container = await createContainer(await loadConfig());
      await container.close();
      const applied = container.migrationsApplied;
      out(applied.length === 0 ? 'The schema is up to date.' : `Applied: ${applied.join(', ')}`);
    });

  program
    .command('id')
    .description(
      'validate codes: unified social credit code, legacy codes, citizen ID (exit 1 if any is invalid)',
    )
    .argument('<value...>', 'one or more codes')
    .option('--json', 'print the results as JSON')
    .action(async (values: string[], opts: { json?: boolean }) => {
      setExitCode((await load.id()).idCommand(values, opts.json === true, out));
    });

  const calendar = program.command('calendar').description('the working-day calendar');
  calendar
    .command('load')
    .description('load the official holiday table of a year from a JSON file (replaces an earlier table)')
    .argument(
      '<file>',
      'JSON: { year, source, holidays: [{ date, name }], workdays: [{ date, name }] }',
      callerPath,
    )
    .action(async (file: string) => (await load.calendar()).calendarLoad(await loadConfig(), file, out));
  calendar
    .command('show')
    .description('list the years with an official table and where each came from')
    .action(async () => (await load.calendar()).calendarShow(await loadConfig(), out));
  calendar
    .command('add')
    .description('the date a number of working days after a date')
    .argument('<date>', 'YYYY-MM-DD', civilDate)
    .argument('<days>', 'working days (negative counts back)', wholeNumber)
    .action(async (date: string, days: number) =>
      (await load.calendar()).calendarAdd(await loadConfig(), date, days, out),
    );
  calendar
    .command('between')
    .description('working days after <from> up to and including <to>')
    .argument('<from>', 'YYYY-MM-DD', civilDate)
    .argument('<to>', 'YYYY-MM-DD', civilDate)
    .action(async (from: string, to: string) =>
      (await load.calendar()).calendarBetween(await loadConfig(), from, to, out),
    );

  const catalog = program.command('catalog').description('the public credit information catalog');
  catalog
    .command('list')
    .description('the catalogs and their items: category, disclosure, sharing, display periods')
    .option('--json', 'print the items as JSON')
    .action(async (opts: { json?: boolean }) =>
      (await load.catalog()).catalogList(await loadConfig(), opts.json === true, out),
    );
  catalog
    .command('show')
    .description('one item in full: fields, legal bases, periods, personal information')
    .argument('<item>', 'item code, e.g. admin_penalty')
    .action(async (code: string) => (await load.catalog()).catalogShow(await loadConfig(), code, out));
  catalog
    .command('load')
    .description(
      'load catalog files (JSON); with no file, the shipped national base catalog. Each change is a new version',
    )
    .argument('[file...]', 'catalog files', (file: string, files: string[] = []) => [
      ...files,
      callerPath(file),
    ])
    .action(async (files: string[]) => (await load.catalog()).catalogLoad(await loadConfig(), files, out));
  catalog
    .command('template')
    .description(
      "the headings a department's file needs for an item, required ones marked * (CSV to stdout; XLSX, with a sheet explaining each field, to --out)",
    )
    .argument('<item>', 'item code, e.g. admin_penalty')
    .addOption(
      new Option('--format <format>', 'default: as --out is named, else csv').choices(['csv', 'xlsx']),
    )
    .option('--out <file>', 'write the template to this file', callerPath)
    .action(async (code: string, opts: TemplateOptions) =>
      (await load.catalog()).catalogTemplate(await loadConfig(), code, opts, out),
    );

  program
    .command('ingest')
    .description(
      'ingest a department file (CSV, XLSX, JSON Lines) as one batch; exit 3 when rows were rejected or need review',
    )
    .argument('<file>', 'the file', callerPath)
    .requiredOption('--item <code>', 'catalog item, e.g. admin_penalty')
    .requiredOption('--department <code>', 'the department the data comes from')
    .option('--encoding <name>', 'CSV encoding when not detected: utf-8, gbk, gb18030')
    .option('--sheet <name>', 'XLSX sheet (default: the first)')
    .option('--corrects <batch>', 'the batch whose rejected rows this file corrects', wholeNumber)
    .option('--json', 'print the summary as JSON')
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .action(async (file: string, opts: IngestOptions) => {
      setExitCode(await (await load.ingest()).ingestCommand(await loadConfig(), file, opts, out));
    });
  const batch = program.command('batch').description('ingest batches');
  batch
    .command('list')
    .requiredOption('--department <code>')
    .action(async (opts: { department: string }) =>
      (await load.ingest()).batchList(await loadConfig(), opts.department, out),
    );
  batch
    .command('show')
    .argument('<id>', 'batch id', wholeNumber)
    .option('--json')
    .action(async (id: number, opts: { json?: boolean }) =>
      (await load.ingest()).batchShow(await loadConfig(), id, opts.json === true, out),
    );
  batch
    .command('purge')
    .description(
      'purge the staged rows of failed and interrupted batches abandoned N days ago or more (the server does it by itself)',
    )
    .option(
      '--days <n>',
      'days an abandoned batch is kept (default XINYONG_ABANDONED_BATCH_DAYS)',
      wholeNumber,
    )
    .action(async (opts: { days?: number }) =>
      (await load.ingest()).batchPurge(await loadConfig(), opts.days, out),
    );
  batch
    .command('errors')
    .description('the rejected and review rows with their original columns and a reason column')
    .argument('<id>', 'batch id', wholeNumber)
    .requiredOption('--out <file>', 'errors.csv or errors.xlsx', callerPath)
    .action(async (id: number, opts: { out: string }) =>
      (await load.ingest()).batchErrors(await loadConfig(), id, opts.out, out),
    );

  program
    .command('quality')
    .description(
      'data quality per department and month: error rate, duplicates, timeliness (7 working days), completeness',
    )
    .option('--department <code>')
    .option('--from <month>', 'first month, YYYY-MM')
    .option('--to <month>', 'last month, YYYY-MM')
    .option('--json')
    .action(async (opts: { department?: string; from?: string; to?: string; json?: boolean }) =>
      (await load.quality()).qualityCommand(await loadConfig(), opts, out),
    );

  program
    .command('file')
    .description(
      "a subject's credit file as the public or an auditor sees it, each record with the reason (an auditor's read is audited)",
    )
    .argument('<code>', 'unified code, legacy code or citizen ID')
    .addOption(new Option('--as <audience>', 'whose view').choices(['public', 'auditor']).default('public'))
    .option('--json')
    .action(async (code: string, opts: { as: 'public' | 'auditor'; json?: boolean }) =>
      (await load.file()).fileCommand(await loadConfig(), code, opts, out),
    );

  program
    .command('check')
    .description(
      'a credit check in an administrative matter (应查必查): list entries and each measure with its legal basis; with --file, every subject of a CSV or XLSX (codes, or names)',
    )
    .argument('[code]', 'unified code, legacy code or citizen ID')
    .requiredOption('--matter <type>', `one of ${MATTERS.join(', ')}`)
    .requiredOption('--department <code>', 'the department that checks (it acts as its credit officer)')
    .option('--purpose <text>', 'what the check is for')
    .option(
      '--file <path>',
      'CSV or XLSX with a code column (统一社会信用代码) or a name column (名称)',
      callerPath,
    )
    .option('--json')
    .action(async (code: string | undefined, opts: CheckOptions) =>
      (await load.check()).checkCommand(await loadConfig(), code, opts, out),
    );

  const consent = program
    .command('consent')
    .description("a natural person's consent to disclose their personal information, masked");
  consent
    .command('give')
    .argument('<code>', "the person's citizen ID")
    .option('--item <code>', 'one catalog item (default: every item)')
    .requiredOption('--evidence <document>', 'the document in which the person consented')
    .action(async (code: string, opts: { item?: string; evidence: string }) =>
      (await load.file()).consentGive(await loadConfig(), code, opts, out),
    );
  consent
    .command('withdraw')
    .argument('<code>', "the person's citizen ID")
    .argument('<id>', 'consent id', wholeNumber)
    .action(async (code: string, id: number) =>
      (await load.file()).consentWithdraw(await loadConfig(), code, id, out),
    );

  const review = program
    .command('review')
    .description("rows no code identifies, awaiting the department's decision");
  review
    .command('list')
    .requiredOption('--department <code>')
    .option('--json')
    .action(async (opts: { department: string; json?: boolean }) =>
      (await load.review()).reviewList(await loadConfig(), opts.department, opts.json === true, out),
    );
  review
    .command('resolve')
    .description('make a review row a record of the subject named, or refuse it')
    .argument('<batch>', 'batch id', wholeNumber)
    .argument('<row>', 'row number', wholeNumber)
    .option('--code <code>', "the subject's unified code, legacy code or citizen ID")
    .option('--subject <id>', 'an existing subject', wholeNumber)
    .option('--reject <reason>', 'refuse the row, saying why')
    .option('--note <text>', 'why this subject')
    .action(async (batchId: number, rowNo: number, opts: ResolveOptions) =>
      (await load.review()).reviewResolve(await loadConfig(), batchId, rowNo, opts, out),
    );
  program
    .command('revoke')
    .description('withdraw a record the department sent: its decision was revoked')
    .requiredOption('--department <code>')
    .requiredOption('--item <code>')
    .requiredOption('--document <number>', 'the decision document number')
    .requiredOption('--code <code>', 'a code of the subject')
    .requiredOption('--reason <text>')
    .action(async (opts: RevokeOptions) => (await load.review()).recordRevoke(await loadConfig(), opts, out));

  const mapping = program
    .command('mapping')
    .description("a department's own column headings for a catalog item");
  mapping
    .command('set')
    .requiredOption('--department <code>')
    .requiredOption('--item <code>')
    .requiredOption('--column <heading>', 'the heading the department uses, e.g. 被处罚单位名称')
    .requiredOption('--field <field>', 'the catalog field, by key or Chinese name, e.g. subject_name')
    .action(async (opts: MappingOptions) => (await load.ingest()).mappingSet(await loadConfig(), opts, out));
  mapping
    .command('list')
    .requiredOption('--department <code>')
    .requiredOption('--item <code>')
    .action(async (opts: { department: string; item: string }) =>
      (await load.ingest()).mappingList(await loadConfig(), opts.department, opts.item, out),
    );

  const audit = program.command('audit').description('the tamper-evident audit chain');
  audit
    .command('verify')
    .description('check every link of the chain and the signed checkpoints (exit 1 at the first broken link)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      setExitCode(await (await load.audit()).auditVerify(await loadConfig(), opts.json === true, out));
    });
  audit
    .command('checkpoint')
    .description("sign the chain's head with the platform key and append it to the checkpoint file")
    .action(async () => (await load.audit()).auditCheckpoint(await loadConfig(), out));
  audit
    .command('list')
    .description('events, newest first (the listing is itself recorded)')
    .option('--action <action>')
    .option('--actor <actor>', 'e.g. user:admin, token:3, system:cli')
    .option('--limit <n>', 'the newest this many (1–100000)', eventCount, 100)
    .action(async (opts: ListOptions) => (await load.audit()).auditList(await loadConfig(), opts, out));
  audit
    .command('archive')
    .description('archive events older than the retention period to a signed file, then prune exactly those')
    .requiredOption('--out <file>', 'the archive file to write (must not exist)', callerPath)
    .option('--before <time>', 'an ISO timestamp no later than the retention limit')
    .action(async (opts: { out: string; before?: string }) =>
      (await load.audit()).auditArchive(await loadConfig(), opts.out, opts.before, out),
    );

  const token = program.command('token').description("API tokens for departments' and institutions' systems");
  token
    .command('create')
    .description('create a token; it is printed once, on stdout')
    .requiredOption('--role <role>', 'data_clerk, reviewer, credit_officer or institution_user')
    .option('--department <code>', 'the department the token acts for')
    .option('--institution <code>', 'the institution the token acts for (role institution_user)')
    .option('--name <name>', 'what the token is for')
    .option('--expires <duration>', 'lifetime: 90d, 12h, 1y', '90d')
    .action(async (opts: TokenOptions) => (await load.access()).tokenCreate(await loadConfig(), opts, out));
  token
    .command('list')
    .description('tokens (never their secrets), optionally of one department')
    .option('--department <code>')
    .action(async (opts: { department?: string }) =>
      (await load.access()).tokenList(await loadConfig(), opts.department, out),
    );
  token
    .command('revoke')
    .description('revoke a token at once')
    .argument('<id>', 'token id', wholeNumber)
    .action(async (id: number) => (await load.access()).tokenRevoke(await loadConfig(), id, out));

  const user = program.command('user').description('people who sign in');
  user
    .command('create')
    .description('create a user with a generated password, printed once, to be changed at the first sign-in')
    .requiredOption('--username <name>')
    .requiredOption('--name <display name>')
    .requiredOption(
      '--role <role>',
      'platform_admin, data_clerk, reviewer, credit_officer, institution_user, auditor, subject_user',
    )
    .option('--department <code>')
    .option('--institution <code>')
    .option('--subject <unified code>')
    .action(async (opts: UserOptions) => (await load.access()).userCreate(await loadConfig(), opts, out));
  user
    .command('list')
    .description('every account: role, organisation, status, second factor (never a password or a secret)')
    .action(async () => (await load.access()).userList(await loadConfig(), out));
  user
    .command('reset-password')
    .description(
      "a new generated password, printed once, to be changed at the next sign-in; the user's sessions end",
    )
    .argument('<username>')
    .option('--remove-totp', 'also remove the second factor (its device was lost)')
    .action(async (username: string, opts: { removeTotp?: boolean }) =>
      (await load.access()).userResetPassword(await loadConfig(), username, opts, out),
    );
  user
    .command('disable')
    .description('no sign-in until enabled again; the sessions end at once')
    .argument('<username>')
    .action(async (username: string) => (await load.access()).userDisable(await loadConfig(), username, out));
  user
    .command('enable')
    .description('enable a disabled account, or lift the lock of failed sign-ins')
    .argument('<username>')
    .action(async (username: string) => (await load.access()).userEnable(await loadConfig(), username, out));

  const department = program.command('department').description('departments');
  department
    .command('create')
    .requiredOption('--code <code>')
    .requiredOption('--name <name>')
    .requiredOption('--division <code>', 'GB/T 2260 division, six digits')
    .requiredOption('--uscc <code>', "the department's unified social credit code (its rows' source code)")
    .requiredOption('--level <level>', 'national, provincial, prefectural, county or township')
    .option(
      '--domains <list>',
      'comma-separated domains, e.g. market_supervision,food_drug (they decide which catalog items it collects)',
    )
    .action(async (opts: DepartmentOptions) =>
      (await load.access()).departmentCreate(await loadConfig(), opts, out),
    );
  department
    .command('update')
    .description("change a department's name, domains (which decide what it collects) or unified code")
    .argument('<code>', 'the department')
    .option('--name <name>')
    .option('--uscc <code>', "the department's unified social credit code (its rows' source code)")
    .option('--domains <list>', 'comma-separated domains; replaces the present ones')
    .action(async (code: string, opts: { name?: string; uscc?: string; domains?: string }) =>
      (await load.access()).departmentUpdate(await loadConfig(), code, opts, out),
    );
  department
    .command('list')
    .action(async () => (await load.access()).departmentList(await loadConfig(), out));

  program
    .command('demo')
    .description('demo mode')
    .command('remove')
    .description(
      'delete the demo accounts, departments and institutions (needed before XINYONG_MODE=production)',
    )
    .action(async () => (await load.access()).demoRemove(await loadConfig(), out));

  return program;
}

/** Runs the CLI; resolves with the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const locale = cliLocale(argv);
  return speaking(locale, () => runIn(locale, argv));
}

async function runIn(locale: Locale, argv: readonly string[]): Promise<number> {
  const socket = await runningServerSocket(argv);
  if (socket !== undefined) {
    try {
      // The server speaks the caller's language, whichever way the caller chose it.
      return await forwardCommand(socket, ['--lang', locale, ...withoutLang(argv.slice(2))], locale);
    } catch (err) {
      if (!(err instanceof NoServerError)) {
        const { t } = await import('./platform/i18n/index.ts');
        warn(t(locale, 'cli.socket.failed', { message: (err as Error).message }));
        return 1;
      }
      // The owner is not a server (another command): run here, which says who holds the directory.
    }
  }
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (err) {
    return await reportFailure(err, locale);
  }
}

export type { CliIo };

// Run as a program (`node --import tsx src/cli.ts …`, as the tests do), it is bin/xinyong.js.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await runCli(process.argv);
}
