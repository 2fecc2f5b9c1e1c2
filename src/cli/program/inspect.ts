/** Graded inspection sampling (双随机、一公开): seeds announced, plans drawn. */
import { callerPath, out } from '../io.ts';
import type { DrawOptions, SeedOptions } from '../inspect.ts';
import { load, loadConfig, type ProgramContext } from './shared.ts';

export function registerInspect({ program, h }: ProgramContext): void {
  const inspect = program.command('inspect').description(h('cli.help.inspect.description'));
  inspect
    .command('seed')
    .description(h('cli.help.inspect.seed'))
    .requiredOption('--department <code>', h('cli.help.inspect.department'))
    .requiredOption('--purpose <text>', h('cli.help.inspect.purpose'))
    .action(async (opts: SeedOptions) => (await load.inspect()).inspectSeed(await loadConfig(), opts, out));
  inspect
    .command('draw')
    .description(h('cli.help.inspect.draw'))
    .requiredOption('--plan <file>', h('cli.help.inspect.plan'), callerPath)
    .option('--json', h('cli.help.json'))
    .action(async (opts: DrawOptions) => (await load.inspect()).inspectDraw(await loadConfig(), opts, out));
}
