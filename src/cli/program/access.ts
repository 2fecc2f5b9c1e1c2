/** The audit chain, API tokens, users and departments. */
import { callerPath, out } from '../io.ts';
import type { ListOptions } from '../audit.ts';
import type { DepartmentOptions, TokenOptions, UserOptions } from '../access.ts';
import { eventCount, load, loadConfig, wholeNumber, type ProgramContext } from './shared.ts';

export function registerAccess({ program, h, setExitCode }: ProgramContext): void {
  const audit = program.command('audit').description(h('cli.help.audit.description'));
  audit
    .command('verify')
    .description(h('cli.help.audit.verify'))
    .option('--json', h('cli.help.audit.json'))
    .action(async (opts: { json?: boolean }) => {
      setExitCode(await (await load.audit()).auditVerify(await loadConfig(), opts.json === true, out));
    });
  audit
    .command('checkpoint')
    .description(h('cli.help.audit.checkpoint'))
    .action(async () => (await load.audit()).auditCheckpoint(await loadConfig(), out));
  audit
    .command('list')
    .description(h('cli.help.audit.list'))
    .option('--action <action>')
    .option('--actor <actor>', h('cli.help.audit.actor'))
    .option('--limit <n>', h('cli.help.audit.limit'), eventCount, 100)
    .action(async (opts: ListOptions) => (await load.audit()).auditList(await loadConfig(), opts, out));
  audit
    .command('archive')
    .description(h('cli.help.audit.archive'))
    .requiredOption('--out <file>', h('cli.help.audit.archive_out'), callerPath)
    .option('--before <time>', h('cli.help.audit.before'))
    .action(async (opts: { out: string; before?: string }) =>
      (await load.audit()).auditArchive(await loadConfig(), opts.out, opts.before, out),
    );

  const token = program.command('token').description(h('cli.help.token.description'));
  token
    .command('create')
    .description(h('cli.help.token.create'))
    .requiredOption('--role <role>', h('cli.help.token.role'))
    .option('--department <code>', h('cli.help.token.department'))
    .option('--institution <code>', h('cli.help.token.institution'))
    .option('--name <name>', h('cli.help.token.name'))
    .option('--expires <duration>', h('cli.help.token.expires'), '90d')
    .action(async (opts: TokenOptions) => (await load.access()).tokenCreate(await loadConfig(), opts, out));
  token
    .command('list')
    .description(h('cli.help.token.list'))
    .option('--department <code>')
    .action(async (opts: { department?: string }) =>
      (await load.access()).tokenList(await loadConfig(), opts.department, out),
    );
  token
    .command('revoke')
    .description(h('cli.help.token.revoke'))
    .argument('<id>', h('cli.help.token.id'), wholeNumber)
    .action(async (id: number) => (await load.access()).tokenRevoke(await loadConfig(), id, out));

  const user = program.command('user').description(h('cli.help.user.description'));
  user
    .command('create')
    .description(h('cli.help.user.create'))
    .requiredOption('--username <name>')
    .requiredOption('--name <display name>')
    .requiredOption('--role <role>', h('cli.help.user.role'))
    .option('--department <code>')
    .option('--institution <code>')
    .option('--subject <unified code>')
    .action(async (opts: UserOptions) => (await load.access()).userCreate(await loadConfig(), opts, out));
  user
    .command('list')
    .description(h('cli.help.user.list'))
    .action(async () => (await load.access()).userList(await loadConfig(), out));
  user
    .command('reset-password')
    .description(h('cli.help.user.reset_password'))
    .argument('<username>')
    .option('--remove-totp', h('cli.help.user.remove_totp'))
    .action(async (username: string, opts: { removeTotp?: boolean }) =>
      (await load.access()).userResetPassword(await loadConfig(), username, opts, out),
    );
  user
    .command('disable')
    .description(h('cli.help.user.disable'))
    .argument('<username>')
    .action(async (username: string) => (await load.access()).userDisable(await loadConfig(), username, out));
  user
    .command('enable')
    .description(h('cli.help.user.enable'))
    .argument('<username>')
    .action(async (username: string) => (await load.access()).userEnable(await loadConfig(), username, out));

  const department = program.command('department').description(h('cli.help.department.description'));
  department
    .command('create')
    .requiredOption('--code <code>')
    .requiredOption('--name <name>')
    .requiredOption('--division <code>', h('cli.help.department.division'))
    .requiredOption('--uscc <code>', h('cli.help.department.uscc'))
    .requiredOption('--level <level>', h('cli.help.department.level'))
    .option('--domains <list>', h('cli.help.department.domains'))
    .action(async (opts: DepartmentOptions) =>
      (await load.access()).departmentCreate(await loadConfig(), opts, out),
    );
  department
    .command('update')
    .description(h('cli.help.department.update'))
    .argument('<code>', h('cli.help.department.code'))
    .option('--name <name>')
    .option('--uscc <code>', h('cli.help.department.uscc'))
    .option('--domains <list>', h('cli.help.department.update_domains'))
    .action(async (code: string, opts: { name?: string; uscc?: string; domains?: string }) =>
      (await load.access()).departmentUpdate(await loadConfig(), code, opts, out),
    );
  department
    .command('list')
    .action(async () => (await load.access()).departmentList(await loadConfig(), out));

  program
    .command('demo')
    .description(h('cli.help.demo.description'))
    .command('remove')
    .description(h('cli.help.demo.remove'))
    .action(async () => (await load.access()).demoRemove(await loadConfig(), out));
}
