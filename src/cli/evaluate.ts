/**
 * `xinyong evaluate`: a subject's evaluation explained, or a recomputation of every subject under a
 * model version with a progress bar and the level changes it made; `xinyong evaluation model
 * list|check|load`: the models, a model file checked or loaded.
 */
import fs from 'node:fs/promises';
import { Presets, SingleBar } from 'cli-progress';
import {
  ModelRuleError,
  presentEvaluation,
  presentModel,
  type RunSummary,
} from '../modules/evaluation/index.ts';
import { InvalidRequestError, msg, NotFoundError, render, type Config } from '../platform/index.ts';
import { cliIo, cliLocaleNow } from './io.ts';
import { tr } from './say.ts';
import { withContainer } from './with-container.ts';

type Out = (line: string) => void;

const OPERATOR = { kind: 'system', name: 'cli' } as const;

export interface EvaluateOptions {
  model?: string;
  all?: boolean;
  json?: boolean;
  progress?: boolean;
}

async function readModelFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch (err) {
    throw new InvalidRequestError(msg('evaluation.not_json', { file, cause: (err as Error).message }));
  }
}

function reportViolations(file: string, err: unknown): void {
  if (err instanceof ModelRuleError) {
    for (const v of err.violations) {
      cliIo().stderr(`${file}: ${v.field}: [${v.rule}] ${render(cliLocaleNow(), v.message)}\n`);
    }
  }
}

function describeRun(r: RunSummary): string[] {
  const moves = Object.entries(r.transitions)
    .filter(([k]) => !k.startsWith('>') && k.split('>')[0] !== k.split('>')[1])
    .map(([k, n]) => `${k.replace('>', '→')} ${n}`);
  return [
    tr('cli.evaluate.run', {
      id: r.id,
      model: `${r.model.code}@${r.model.version}`,
      status: r.status,
      done: r.done,
      total: r.total,
      asOf: r.asOf,
    }),
    tr('cli.evaluate.moves', {
      up: r.levelsUp,
      down: r.levelsDown,
      unchanged: r.unchanged,
      first: r.firstResults,
    }),
    ...(moves.length > 0 ? [`  ${moves.join(tr('cli.separator.semicolon'))}`] : []),
    ...(r.error === null ? [] : [`  ${r.error}`]),
  ];
}

export async function evaluate(
  config: Config,
  codes: string[],
  opts: EvaluateOptions,
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    const locale = cliLocaleNow();
    if (opts.all === true) {
      const models = await c.evaluation.models();
      const wanted =
        opts.model === undefined
          ? models.find((m) => m.inForce)
          : models.find((m) => `${m.code}@${m.version}` === opts.model || String(m.version) === opts.model);
      if (wanted === undefined) {
        throw new NotFoundError(msg('evaluation.model_unknown', { model: opts.model ?? '' }));
      }
      const runId = await c.evaluation.startRun(wanted.id, 'full', { label: 'system:cli' });
      const errStream = cliIo().errStream;
      const bar =
        (opts.progress ?? errStream.isTTY === true)
          ? new SingleBar(
              {
                stream: errStream,
                format: tr('cli.evaluate.progress', { bar: '{bar}', value: '{value}', total: '{total}' }),
                noTTYOutput: errStream.isTTY !== true,
                notTTYSchedule: 5000,
                hideCursor: true,
              },
              Presets.shades_classic,
            )
          : undefined;
      const first = await c.evaluation.run(runId);
      bar?.start(Math.max(1, first.total), 0);
      const timer = setInterval(() => {
        void c.evaluation.run(runId).then(
          (r) => bar?.update(r.done),
          () => undefined,
        );
      }, 500);
      try {
        await c.evaluation.settled(runId);
      } finally {
        clearInterval(timer);
      }
      const done = await c.evaluation.run(runId);
      bar?.update(done.done);
      bar?.stop();
      if (opts.json === true) {
        out(JSON.stringify(done, null, 2));
      } else {
        describeRun(done).forEach((line) => out(line));
      }
      if (done.status !== 'done') {
        throw new InvalidRequestError(msg('evaluation.run_failed', { run: runId, error: done.error ?? '' }));
      }
      return;
    }
    if (codes.length === 0) {
      throw new InvalidRequestError(msg('evaluation.codes_or_all'));
    }
    for (const code of codes) {
      const result = await c.evaluation.forSubject(OPERATOR, code);
      const described = await c.evaluation.describe(result.model.code, result.model.version);
      const view = presentEvaluation(described.model, result, locale);
      if (opts.json === true) {
        out(JSON.stringify(view, null, 2));
        continue;
      }
      out(
        tr('cli.evaluate.subject', {
          code,
          model: `${view.model.code}@${view.model.version}`,
          score: view.score,
          level: `${view.level.code} ${view.level.name}`,
          asOf: view.asOf,
        }),
      );
      out(`  ${tr('cli.evaluate.base', { base: view.base })}`);
      for (const i of view.indicators) {
        out(
          `  ${tr('cli.evaluate.indicator', { name: i.name, value: i.value, points: i.points, weight: i.weight, contribution: i.contribution })}`,
        );
        for (const r of i.records) {
          out(`    #${r.id} ${r.item} ${r.tier ?? ''} ${r.decisionDate ?? ''}: ${r.note}`);
        }
      }
    }
  });
}

export async function modelList(config: Config, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    for (const m of await c.evaluation.models()) {
      out(
        tr(m.inForce ? 'cli.evaluate.model_in_force' : 'cli.evaluate.model_row', {
          model: `${m.code}@${m.version}`,
          name: cliLocaleNow() === 'en' ? m.model.nameEn : m.model.nameZh,
          indicators: m.model.indicators.length,
          levels: m.model.levels.map((l) => l.code).join('/'),
        }),
      );
    }
  });
}

export async function modelCheck(config: Config, file: string, out: Out): Promise<void> {
  const input = await readModelFile(file);
  await withContainer(config, async (c) => {
    try {
      const { model } = await c.evaluation.check(input);
      const view = presentModel(
        model,
        { inForce: false, loadedAt: new Date(), currentSince: null, digest: '' },
        cliLocaleNow(),
      );
      out(
        tr('cli.evaluate.checked', {
          file,
          model: `${view.code}@${view.version}`,
          indicators: view.indicators.length,
          levels: view.levels.map((l) => l.code).join('/'),
        }),
      );
    } catch (err) {
      reportViolations(file, err);
      throw err;
    }
  });
}

export async function modelLoad(config: Config, file: string, out: Out): Promise<void> {
  const input = await readModelFile(file);
  await withContainer(config, async (c) => {
    try {
      const loaded = await c.evaluation.load(input, { label: 'system:cli' });
      out(tr('cli.evaluate.loaded', { model: `${loaded.code}@${loaded.version}`, status: loaded.status }));
      if (loaded.run !== undefined) {
        await c.evaluation.settled(loaded.run);
        describeRun(await c.evaluation.run(loaded.run)).forEach((line) => out(line));
      }
    } catch (err) {
      reportViolations(file, err);
      throw err;
    }
  });
}
