/** The federation of provincial and national nodes: status, and the nation's subscriptions. */
import { out } from '../io.ts';
import { load, loadConfig, type ProgramContext } from './shared.ts';

export function registerFederation({ program, h }: ProgramContext): void {
  const federation = program.command('federation').description(h('cli.help.federation.description'));
  federation
    .command('status')
    .description(h('cli.help.federation.status'))
    .option('--json', h('cli.help.json'))
    .action(async (opts: { json?: boolean }) =>
      (await load.federation()).status(await loadConfig(), opts, out),
    );
  federation
    .command('subscribe')
    .description(h('cli.help.federation.subscribe'))
    .argument('<origin>', h('cli.help.federation.origin'))
    .argument('<url>', h('cli.help.federation.url'))
    .action(async (origin: string, url: string) =>
      (await load.federation()).subscribe(await loadConfig(), origin, url, out),
    );
  federation
    .command('unsubscribe')
    .description(h('cli.help.federation.unsubscribe'))
    .argument('<origin>', h('cli.help.federation.origin'))
    .action(async (origin: string) => (await load.federation()).unsubscribe(await loadConfig(), origin, out));
}
