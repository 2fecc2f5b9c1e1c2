/**
 * The evaluation: models loaded (checked like the catalog, each version kept), results computed in
 * SQL for many subjects at once and explained for one, recomputed as records change (the follower)
 * and in full when a model changes (a run, in the background, with progress). Natural persons are
 * never scored: the model refuses them, this service refuses them, and the database's constraint
 * refuses a result for one.
 */
import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import {
  canonicalJson,
  msg,
  NotFoundError,
  parseWith,
  RuleViolationError,
  sha256Hex,
  type AuditActor,
  type AuditWriter,
  type DataProtector,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService, Violation } from '../catalog/index.ts';
import { validate as validateCode } from '../identifiers/index.ts';
import { subjectByCode, subjectOfUser } from '../subjects/index.ts';
import { evaluate, type Evaluation } from './evaluation.compute.ts';
import { modelInForce } from './evaluation.levels.ts';
import { itemsRead } from './evaluation.sql.ts';
import {
  EvaluationRepository,
  type ModelRow,
  type Transitions,
  type Written,
} from './evaluation.repository.ts';
import { checkModel, type KnownItem, type Model } from './evaluation.rules.ts';
import { EVALUATED_KINDS, ModelFileSchema, type ModelFile } from './evaluation.schema.ts';

/** A model refused for breaking rules: every violation is kept, the first is the message. */
export class ModelRuleError extends RuleViolationError {
  constructor(readonly violations: Violation[]) {
    const first = violations[0];
    const params = {
      field: first?.field ?? 'model',
      message: first?.message ?? msg('evaluation.no_model'),
    };
    super(
      violations.length > 1
        ? msg('evaluation.refused_more', { ...params, more: violations.length - 1 })
        : msg('evaluation.refused', params),
      { field: first?.field, value: first?.value, rule: first?.rule },
    );
  }
}

const require = createRequire(import.meta.url);

/** The model the platform ships (version 1 of public-credit). */
export function shippedModel(): unknown {
  return require('./data/public-credit-v1.json') as unknown;
}

/**
 * Subjects per statement of a run: each chunk is one aggregate over the records (a scan of the
 * table), then the progress is written; fewer, larger chunks scan less (measured by bench:evaluate).
 */
const RUN_CHUNK = 1_000_000;

export interface LoadedModel {
  id: number;
  code: string;
  version: number;
  status: 'created' | 'unchanged';
  /** The full run the load started (none when unchanged). */
  run?: number;
}

export interface RunSummary {
  id: number;
  model: { code: string; version: number };
  kind: 'full' | 'daily' | 'subjects';
  asOf: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  levelsUp: number;
  levelsDown: number;
  unchanged: number;
  firstResults: number;
  transitions: Record<string, number>;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

export interface SubjectEvaluation extends Evaluation {
  subject: { id: number; kind: string };
  computedAt: Date;
}

export class EvaluationService {
  readonly repository: EvaluationRepository;
  private readonly compiled = new Map<number, Model>();
  /** Runs under way in this process, awaited by close() and by tests. */
  private readonly running = new Map<number, Promise<void>>();

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly protector: DataProtector,
    private readonly today: () => string,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.repository = new EvaluationRepository(db);
  }

  /** The model file checked against the catalog: the model to compute, or every reason it is refused. */
  async check(input: unknown): Promise<{ file: ModelFile; model: Model }> {
    const file = parseWith(ModelFileSchema, input);
    const items = new Map<string, KnownItem>(
      (await this.catalog.items())
        .filter((i) => i.status === 'active')
        .map((i) => [i.code, { code: i.code, subjectKinds: i.definition.subjectKinds }]),
    );
    const bases = new Set((await this.catalog.legalBases()).map((b) => b.code));
    const checked = checkModel(file, items, bases);
    if (checked.violations.length > 0) {
      throw new ModelRuleError(checked.violations);
    }
    return { file, model: checked.model };
  }

  /**
   * Loads a model version. The first model is in force at once; a later one is computed for every
   * subject in the background first and comes into force when its run is done, the old results kept.
   */
  async load(input: unknown, actor: AuditActor): Promise<LoadedModel> {
    const { file, model } = await this.check(input);
    const content = canonicalJson(file);
    const digest = sha256Hex(content);
    const existing = (await this.repository.models()).find(
      (m) => m.code === model.code && m.version === model.version,
    );
    if (existing !== undefined) {
      if (existing.digest !== digest) {
        throw new RuleViolationError(
          msg('evaluation.version_taken', { model: model.code, version: model.version }),
          {
            field: 'model.version',
            value: model.version,
            rule: 'evaluation.version_immutable',
          },
        );
      }
      return { id: existing.id, code: model.code, version: model.version, status: 'unchanged' };
    }
    const first = (await modelInForce(this.db)) === undefined;
    const id = await this.db.transaction().execute(async (trx) => {
      const r = await new EvaluationRepository(trx).insertModel({
        code: model.code,
        version: model.version,
        digest,
        content,
        loadedBy: actor.label,
      });
      if (first) {
        await new EvaluationRepository(trx).makeCurrent(r);
      }
      await this.audit.append(trx, {
        actor,
        action: 'evaluation.model_load',
        target: { kind: 'evaluation_model', id: `${model.code}@${model.version}` },
        details: {
          digest,
          indicators: model.indicators.length,
          levels: model.levels.map((l) => l.code),
          inForce: first,
        },
      });
      return r;
    });
    this.compiled.set(id, model);
    const run = await this.startRun(id, 'full', actor);
    return { id, code: model.code, version: model.version, status: 'created', run };
  }

  /**
   * On start: the stage tables a run killed part way left a day ago or more are dropped; and, on
   * first start, the shipped model is loaded when no model ever was.
   */
  async ensureShipped(actor: AuditActor): Promise<LoadedModel | undefined> {
    await this.repository.dropStaleStages(86_400);
    if ((await this.repository.models()).length > 0) {
      return undefined;
    }
    const loaded = await this.load(shippedModel(), actor);
    if (loaded.run !== undefined) {
      await this.settled(loaded.run);
    }
    return loaded;
  }

  /** A model as loaded, ready to compute. */
  async model(id: number): Promise<Model> {
    const cached = this.compiled.get(id);
    if (cached !== undefined) {
      return cached;
    }
    const row = (await this.repository.models()).find((m) => m.id === id);
    if (row === undefined) {
      throw new NotFoundError(msg('evaluation.model_unknown', { model: String(id) }));
    }
    const { model } = await this.check(row.content);
    this.compiled.set(id, model);
    return model;
  }

  async models(): Promise<Array<ModelRow & { model: Model; inForce: boolean }>> {
    const inForce = await modelInForce(this.db);
    const rows = await this.repository.models();
    return Promise.all(
      rows.map(async (r) => ({ ...r, model: await this.model(r.id), inForce: r.id === inForce?.id })),
    );
  }

  /** The model in force as the public may read it (or the version asked for). */
  async describe(
    code?: string,
    version?: number,
  ): Promise<{ row: ModelRow; model: Model; inForce: boolean }> {
    const all = await this.models();
    const found =
      code === undefined
        ? all.find((m) => m.inForce)
        : all.find(
            (m) =>
              m.code === code &&
              (version === undefined
                ? m.inForce || m === all.filter((x) => x.code === code).at(-1)
                : m.version === version),
          );
    if (found === undefined) {
      throw new NotFoundError(msg('evaluation.no_model'));
    }
    return { row: found, model: found.model, inForce: found.inForce };
  }

  // Computing.

  /** Starts a run of a model over every subject it evaluates; answers its id at once. */
  async startRun(modelId: number, kind: 'full' | 'daily', actor: AuditActor): Promise<number> {
    const model = await this.model(modelId);
    const range = await this.repository.subjectRange(model.subjectKinds);
    const asOf = this.today();
    const runId = await this.repository.startRun({
      modelId,
      kind,
      asOf,
      startedBy: actor.label,
      total: range.count,
    });
    const work = this.runChunks(runId, modelId, model, asOf, range, kind, actor).catch(
      async (err: unknown) => {
        this.onError(err);
        await this.repository
          .finishRun(runId, 'failed', (err as Error).message.slice(0, 500))
          .catch(this.onError);
      },
    );
    this.running.set(runId, work);
    void work.finally(() => this.running.delete(runId));
    return runId;
  }

  /** Waits for a run this process started (no-op for another's). */
  async settled(runId: number): Promise<void> {
    await this.running.get(runId);
  }

  private async runChunks(
    runId: number,
    modelId: number,
    model: Model,
    asOf: string,
    range: { min: number; max: number; count: number },
    kind: 'full' | 'daily',
    actor: AuditActor,
  ): Promise<void> {
    const inForce = await modelInForce(this.db);
    // A model's first run inserts its results, compared with the model in force (none for the first
    // model); a later run rewrites the results that changed, compared with themselves.
    const fresh = kind === 'full' && !(await this.repository.hasResults(modelId));
    const compareWith = fresh && inForce?.id === modelId ? undefined : inForce?.id;
    // Changes after this point reach a new model's results after its run (the follower keeps only the model in force).
    const start = (await this.repository.latestChange()) ?? { txid: 0n, id: 0 };
    const tally = {
      done: 0,
      up: 0,
      down: 0,
      unchanged: 0,
      first: 0,
      transitions: {} as Record<string, number>,
    };
    for (let from = range.min; from <= range.max; from += RUN_CHUNK) {
      const to = Math.min(range.max, from + RUN_CHUNK - 1);
      const written = fresh
        ? await this.repository.insertRange(model, modelId, asOf, { from, to }, compareWith)
        : await this.repository.write(model, modelId, asOf, { from, to }, compareWith);
      this.count(model, written, tally);
      await this.repository.progress(runId, tally);
    }
    if (fresh) {
      const changed = await this.repository.changedSince(start);
      for (let i = 0; i < changed.length; i += 10_000) {
        await this.repository.write(model, modelId, asOf, { ids: changed.slice(i, i + 10_000) }, modelId);
      }
    }
    await this.db.transaction().execute(async (trx) => {
      const repo = new EvaluationRepository(trx);
      if (kind === 'full' && inForce?.id !== modelId) {
        await repo.makeCurrent(modelId);
      }
      await this.audit.append(trx, {
        actor,
        action: 'evaluation.run',
        target: { kind: 'evaluation_run', id: String(runId) },
        details: {
          model: `${model.code}@${model.version}`,
          kind,
          asOf,
          subjects: tally.done,
          up: tally.up,
          down: tally.down,
          unchanged: tally.unchanged,
          first: tally.first,
        },
      });
    });
    await this.repository.finishRun(runId, 'done');
  }

  /** Adds a write to the run's tally: a subject not moved (or not rewritten) is unchanged. */
  private count(
    model: Model,
    written: Written,
    tally: {
      done: number;
      up: number;
      down: number;
      unchanged: number;
      first: number;
      transitions: Record<string, number>;
    },
  ): void {
    const rank = new Map(model.levels.map((l, i) => [l.code, i]));
    tally.done += written.computed;
    let moved = 0;
    for (const m of written.moves) {
      if (m.from === m.to) {
        continue;
      }
      moved += m.n;
      const key = `${m.from}>${m.to}`;
      tally.transitions[key] = (tally.transitions[key] ?? 0) + m.n;
      if (m.from === '') {
        tally.first += m.n;
      } else if ((rank.get(m.to) ?? -1) > (rank.get(m.from) ?? -1)) {
        tally.up += m.n;
      } else {
        tally.down += m.n;
      }
    }
    tally.unchanged += written.computed - moved;
  }

  /** Recomputes these subjects under the model in force (a model a run is computing catches up when it ends). */
  async recompute(subjectIds: readonly number[]): Promise<Transitions> {
    if (subjectIds.length === 0) {
      return [];
    }
    const inForce = await modelInForce(this.db);
    const ids = inForce === undefined ? [] : [inForce.id];
    let moves: Transitions = [];
    for (const id of ids) {
      const written = await this.repository.write(
        await this.model(id),
        id,
        this.today(),
        { ids: subjectIds },
        id,
      );
      if (id === inForce?.id) {
        moves = written.moves;
      }
    }
    return moves;
  }

  async run(id: number): Promise<RunSummary> {
    const row = await this.repository.run(id);
    if (row === undefined) {
      throw new NotFoundError();
    }
    return this.summary(row);
  }

  async runs(limit = 20): Promise<RunSummary[]> {
    return Promise.all((await this.repository.runs(limit)).map((r) => this.summary(r)));
  }

  private async summary(
    row: NonNullable<Awaited<ReturnType<EvaluationRepository['run']>>>,
  ): Promise<RunSummary> {
    const model = await this.model(Number(row.model_id));
    return {
      id: Number(row.id),
      model: { code: model.code, version: model.version },
      kind: row.kind,
      asOf: row.as_of,
      status: row.status,
      total: row.total,
      done: row.done,
      levelsUp: row.levels_up,
      levelsDown: row.levels_down,
      unchanged: row.unchanged,
      firstResults: row.first_results,
      transitions: row.transitions as Record<string, number>,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      error: row.error,
    };
  }

  // Reading.

  /**
   * A subject's evaluation with its explanation, for the subject and government users (audited).
   * The explanation is computed from the records as they are; if they changed since the stored
   * result (the follower has not reached them yet) or the result is of an earlier day, the subject
   * is recomputed first, so the answer and its explanation always agree.
   */
  async forSubject(actor: Actor, code: string): Promise<SubjectEvaluation> {
    refuseNaturalPersonCode(code);
    authorize(
      actor,
      'evaluation.read',
      actor.kind === 'user' && actor.role === 'subject_user' ? { subject: actor.subject ?? '' } : {},
    );
    const subject = await subjectByCode(this.db, this.protector, code, 'code');
    if (subject === undefined) {
      throw new NotFoundError();
    }
    if (actor.kind === 'user' && actor.role === 'subject_user') {
      const own = await subjectOfUser(this.db, this.protector, actor);
      if (own?.id !== subject.id) {
        throw new NotFoundError();
      }
    }
    if (subject.kind === 'natural_person') {
      throw new RuleViolationError(msg('evaluation.natural_person'), {
        field: 'code',
        rule: 'evaluation.natural_person',
      });
    }
    const result = await this.current(Number(subject.id), subject.kind);
    await this.db.transaction().execute(async (trx) => {
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'evaluation.read',
        target: { kind: 'subject', id: String(subject.id) },
        details: { model: `${result.model.code}@${result.model.version}`, level: result.level },
      });
    });
    return result;
  }

  /** What the public may see: the level, where the model makes it public; else the same 404 as a missing subject. */
  async publicLevel(
    code: string,
  ): Promise<{ subject: { id: number; kind: string }; model: Model; evaluation: SubjectEvaluation }> {
    if (namesNaturalPerson(code)) {
      throw new NotFoundError();
    }
    const subject = await subjectByCode(this.db, this.protector, code, 'code');
    if (subject === undefined || subject.kind === 'natural_person' || subject.status === 'provisional') {
      throw new NotFoundError();
    }
    const inForce = await modelInForce(this.db);
    if (inForce === undefined) {
      throw new NotFoundError();
    }
    const model = await this.model(inForce.id);
    if (!model.publicLevel || !(model.subjectKinds as readonly string[]).includes(subject.kind)) {
      throw new NotFoundError();
    }
    const evaluation = await this.current(Number(subject.id), subject.kind);
    return { subject: { id: Number(subject.id), kind: subject.kind }, model, evaluation };
  }

  /** The stored result under the model in force, explained, recomputed first when out of date. */
  private async current(subjectId: number, kind: string): Promise<SubjectEvaluation> {
    const inForce = await modelInForce(this.db);
    if (inForce === undefined) {
      throw new NotFoundError(msg('evaluation.no_model'));
    }
    const model = await this.model(inForce.id);
    if (!(model.subjectKinds as readonly string[]).includes(kind)) {
      throw new RuleViolationError(
        msg('evaluation.kind_not_evaluated', { model: `${model.code}@${model.version}`, kind }),
        {
          field: 'code',
          value: kind,
          rule: 'evaluation.subject_kind',
        },
      );
    }
    const items = itemsRead(model);
    for (let attempt = 0; ; attempt += 1) {
      const stored = await this.repository.result(inForce.id, subjectId);
      const records = await this.repository.records(subjectId, items);
      const today = this.today();
      if (stored !== undefined) {
        // Results are rewritten only when they change: one that today's records still give is current.
        const explained = evaluate(model, records, today);
        if (explained.score100 === stored.score && explained.level === stored.level) {
          return { ...explained, subject: { id: subjectId, kind }, computedAt: stored.computed_at };
        }
      }
      if (attempt > 0) {
        // Written and read again, and still not what the records say: a record changed meanwhile.
        const explained = evaluate(model, records, today);
        return { ...explained, subject: { id: subjectId, kind }, computedAt: new Date() };
      }
      await this.recompute([subjectId]);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}

/** A citizen ID names a natural person: refused before anything is looked up. */
function namesNaturalPerson(code: string): boolean {
  const validation = validateCode(code);
  return validation.valid && (validation.kind === 'citizen_id' || validation.kind === 'citizen_id15');
}

export function refuseNaturalPersonCode(code: string): void {
  if (namesNaturalPerson(code)) {
    throw new RuleViolationError(msg('evaluation.natural_person'), {
      field: 'code',
      rule: 'evaluation.natural_person',
    });
  }
}

export { EVALUATED_KINDS };
