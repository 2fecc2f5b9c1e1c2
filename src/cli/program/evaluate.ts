/** Public credit evaluation: a subject's result explained, recomputation, the models. */
import { callerPath, out } from '../io.ts';
import type { EvaluateOptions } from '../evaluate.ts';
import { load, loadConfig, type ProgramContext } from './shared.ts';

export function registerEvaluate({ program, h }: ProgramContext): void {
  program
    .command('evaluate')
    .description(h('cli.help.evaluate.description'))
    .argument('[code...]', h('cli.help.evaluate.codes'))
    .option('--model <version>', h('cli.help.evaluate.model'))
    .option('--all', h('cli.help.evaluate.all'))
    .option('--json', h('cli.help.json'))
    .option('--progress', h('cli.help.evaluate.progress'))
    .action(async (codes: string[], opts: EvaluateOptions) =>
      (await load.evaluate()).evaluate(await loadConfig(), codes, opts, out),
    );
  const model = program
    .command('evaluation')
    .description(h('cli.help.evaluation.description'))
    .command('model')
    .description(h('cli.help.evaluation.model'));
  model
    .command('list')
    .description(h('cli.help.evaluation.list'))
    .action(async () => (await load.evaluate()).modelList(await loadConfig(), out));
  model
    .command('check')
    .description(h('cli.help.evaluation.check'))
    .argument('<file>', h('cli.help.evaluation.file'), callerPath)
    .action(async (file: string) => (await load.evaluate()).modelCheck(await loadConfig(), file, out));
  model
    .command('load')
    .description(h('cli.help.evaluation.load'))
    .argument('<file>', h('cli.help.evaluation.file'), callerPath)
    .action(async (file: string) => (await load.evaluate()).modelLoad(await loadConfig(), file, out));
}
