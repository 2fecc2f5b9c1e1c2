/**
 * Graded inspection sampling, "double random, one public" (双随机、一公开; 国办发〔2019〕35号: the
 * rate and frequency of inspection set by credit grade). A department announces a random seed
 * first; a later draw names it, with the pool of subjects, a rate per level of the model in force
 * (and for the unrated) and its inspectors. The draw is pure and reproducible from the seed and the
 * pool (inspections.draw.ts); it is stored with the plan, audited in its own transaction, and
 * published: matter, department, seed, time, groups and the organisations drawn. Natural persons
 * are neither evaluated nor drawn by level: a pool naming one is refused.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  canonicalJson,
  ConflictError,
  msg,
  NotFoundError,
  ValidationError,
  type AuditWriter,
  type DataProtector,
  type Message,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, requireDepartment, toAuditActor, type Actor } from '../auth/index.ts';
import { currentLevels } from '../evaluation/index.ts';
import { maskCitizenId, validate as validateCode } from '../identifiers/index.ts';
import { drawSample, poolDigest, UNRATED, type DrawnSubject } from './inspections.draw.ts';
import { parsePlan, PlanRuleError, problem, type Plan, type Problem } from './inspections.plan.ts';
import { InspectionsRepository, type DrawRow, type SeedRow } from './inspections.repository.ts';
import type {
  DrawRecordView,
  DrawView,
  PublicDrawSummary,
  PublicSeed,
  SeedView,
} from './inspections.types.ts';

/** How many codes a reason lists before it says how many more there are. */
const LISTED = 20;
const PUBLIC_DRAWS = 50;
const PUBLIC_SEEDS = 100;

/** A subject of the pool as stored in a draw's sample (its id and kind are never published). */
type StoredSubject = DrawnSubject & { subjectId: number; kind: string };

interface PoolEntry {
  id: number;
  code: string;
  name: string;
  kind: string;
}

const PERSON_CODES = new Set(['citizen_id', 'citizen_id15']);

function listed(codes: readonly string[]): string | Message {
  return codes.length <= LISTED
    ? codes.join(', ')
    : msg('inspections.more', { codes: codes.slice(0, LISTED).join(', '), more: codes.length - LISTED });
}

/** The level codes of a model as loaded (its canonical content), in its order. */
function levelCodes(content: unknown): string[] {
  const levels = (content as { levels?: unknown } | null)?.levels;
  return Array.isArray(levels)
    ? levels
        .map((l) => (l as { code?: unknown } | null)?.code)
        .filter((code): code is string => typeof code === 'string')
    : [];
}

export class InspectionService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
  ) {}

  /** Announces (publishes) a new seed of the actor's department, to be used by one later draw. */
  async announce(actor: Actor, purpose: string): Promise<SeedView> {
    const department = requireDepartment(actor, 'inspection.draw').code;
    authorize(actor, 'inspection.draw', { department });
    const text = purpose.trim();
    if (text === '' || text.length > 500) {
      throw new ValidationError(msg('inspections.purpose'), {
        field: 'purpose',
        value: text.slice(0, 200),
        rule: 'inspection.purpose',
      });
    }
    const seed = randomBytes(32).toString('hex');
    const id = await this.db.transaction().execute(async (trx) => {
      const made = await new InspectionsRepository(trx).insertSeed({
        department_code: department,
        purpose: text,
        seed,
        announced_by: toAuditActor(actor).label,
      });
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'inspection.seed',
        target: { kind: 'inspection_seed', id: String(made) },
        details: { department, purpose: text, seed },
      });
      return made;
    });
    return this.seedView((await new InspectionsRepository(this.db).seedById(id)) as SeedRow);
  }

  /** The seeds announced, latest first, with whether a draw used them: public. */
  async publicSeeds(): Promise<PublicSeed[]> {
    const rows = await new InspectionsRepository(this.db).latestSeeds(PUBLIC_SEEDS);
    return rows.map((r) => ({
      ...this.seedView(r),
      departmentName: r.department_name ?? r.department_code,
      used: r.used_by_draw !== null,
      draw: r.used_by_draw === null ? null : Number(r.used_by_draw),
    }));
  }

  /**
   * Draws the sample of a plan (JSON as given): checked whole, every reason kept; the seed marked
   * used, the draw stored and one audit event written, in one transaction.
   */
  async draw(actor: Actor, input: unknown): Promise<DrawRecordView> {
    const plan = parsePlan(input);
    authorize(actor, 'inspection.draw', { department: plan.department });
    const repo = new InspectionsRepository(this.db);
    const problems: Problem[] = [];
    const seed = await this.seedProblems(repo, plan, problems);
    const pool = await this.resolvePool(repo, plan.pool.codes, problems);
    const { model, levels } = await currentLevels(
      this.db,
      pool.map((s) => s.id),
    );
    const modelLevels = model === undefined ? [] : levelCodes(await repo.modelContent(model.id));
    for (const level of levels.values()) {
      if (!modelLevels.includes(level)) {
        modelLevels.push(level);
      }
    }
    const groups = [...modelLevels, UNRATED];
    const shown = modelLevels.length === 0 ? '—' : modelLevels.join(', ');
    for (const level of groups) {
      if (plan.rates[level] === undefined) {
        problems.push(
          problem(
            `rates.${level}`,
            'inspection.rate_missing',
            msg('inspections.rate_missing', { level, levels: shown }),
          ),
        );
      }
    }
    for (const [level, rate] of Object.entries(plan.rates)) {
      if (!groups.includes(level)) {
        problems.push(
          problem(
            `rates.${level}`,
            'inspection.rate_unknown',
            msg('inspections.rate_unknown', { level, levels: shown }),
            rate,
          ),
        );
      }
    }
    if (problems.length > 0 || seed === undefined) {
      throw new PlanRuleError(problems);
    }

    const outcome = drawSample({
      seed: seed.seed,
      subjects: pool.map((s) => ({ code: s.code, name: s.name, level: levels.get(s.id) ?? null })),
      levels: groups,
      rates: plan.rates,
      inspectors: plan.inspectors.pool,
      perSubject: plan.inspectors.perSubject,
    });
    const byCode = new Map(pool.map((s) => [s.code, s]));
    const sample: StoredSubject[] = outcome.sample.map((s) => {
      const subject = byCode.get(s.code) as PoolEntry;
      return { ...s, subjectId: subject.id, kind: subject.kind };
    });
    const digest = poolDigest(pool.map((s) => s.code));
    const rates = Object.fromEntries(groups.map((level) => [level, plan.rates[level] as number]));
    const id = await this.db.transaction().execute(async (trx) => {
      const tx = new InspectionsRepository(trx);
      let made: { id: number };
      try {
        made = await tx.insertDraw({
          department_code: plan.department,
          matter: plan.matter,
          seed_id: seed.id,
          model_id: model?.id ?? null,
          plan: canonicalJson(plan),
          pool_size: pool.length,
          pool_digest: digest,
          groups: JSON.stringify(outcome.groups),
          sample: JSON.stringify(sample),
          drawn_by: toAuditActor(actor).label,
        });
      } catch (err) {
        throw this.seedRefusal(err, seed.id);
      }
      if (!(await tx.useSeed(seed.id, made.id))) {
        throw this.seedRefusal({ code: '23505' }, seed.id);
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'inspection.draw',
        target: { kind: 'inspection_draw', id: String(made.id) },
        details: {
          department: plan.department,
          matter: plan.matter,
          seedId: seed.id,
          seed: seed.seed,
          poolSize: pool.length,
          poolDigest: digest,
          model: model === undefined ? null : { code: model.code, version: model.version },
          rates,
          groups: outcome.groups,
          drawn: outcome.sample.map((s) => s.code),
        },
      });
      return made.id;
    });
    return this.recordView((await repo.drawById(id)) as DrawRow);
  }

  /** A draw, for its department and the auditor; the read is audited. */
  async read(actor: Actor, id: number): Promise<DrawRecordView> {
    const row = await new InspectionsRepository(this.db).drawById(id);
    if (row === undefined) {
      throw new NotFoundError(msg('inspections.no_draw', { id }));
    }
    try {
      authorize(actor, 'inspection.read', { department: row.department_code }, { hide: true });
    } catch (err) {
      throw err instanceof NotFoundError ? new NotFoundError(msg('inspections.no_draw', { id })) : err;
    }
    await this.db.transaction().execute((trx) =>
      this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'inspection.read',
        target: { kind: 'inspection_draw', id: String(id) },
      }),
    );
    return this.recordView(row);
  }

  /**
   * A draw as published (一公开): matter, department, seed, time, groups and the organisations
   * drawn; a subject's level only where the model lets the public see levels; never a natural person.
   */
  async publicDraw(id: number): Promise<DrawView> {
    const row = await new InspectionsRepository(this.db).drawById(id);
    if (row === undefined) {
      throw new NotFoundError(msg('inspections.no_draw', { id }));
    }
    return this.publicView(row);
  }

  /** The latest draws, as published. */
  async publicDraws(): Promise<PublicDrawSummary[]> {
    const rows = await new InspectionsRepository(this.db).latestDraws(PUBLIC_DRAWS);
    return rows.map((r) => ({
      id: Number(r.id),
      department: r.department_code,
      departmentName: r.department_name ?? r.department_code,
      matter: r.matter,
      seed: r.seed,
      drawnAt: r.drawn_at,
      model:
        r.model_code === null || r.model_version === null
          ? null
          : { code: r.model_code, version: r.model_version },
      poolSize: r.pool_size,
      drawn: Number(r.drawn),
    }));
  }

  /** The seed the plan names, when it may be used; else its problem is added. */
  private async seedProblems(
    repo: InspectionsRepository,
    plan: Plan,
    problems: Problem[],
  ): Promise<SeedRow | undefined> {
    const id = plan.seedId;
    const seed = await repo.seedById(id);
    const refuse = (rule: string, message: Message) => {
      problems.push(problem('seedId', rule, message, id));
      return undefined;
    };
    if (seed === undefined) {
      return refuse('inspection.seed_unknown', msg('inspections.seed_unknown', { id }));
    }
    if (seed.department_code !== plan.department) {
      return refuse(
        'inspection.seed_department',
        msg('inspections.seed_department', { id, owner: seed.department_code, department: plan.department }),
      );
    }
    if (seed.used_by_draw !== null) {
      return refuse(
        'inspection.seed_used',
        msg('inspections.seed_used', { id, draw: Number(seed.used_by_draw) }),
      );
    }
    if (!(await repo.announcedBeforeNow(id))) {
      return refuse('inspection.seed_not_before', msg('inspections.seed_not_before', { id }));
    }
    return seed;
  }

  /** The subjects the pool's codes name; codes that name none, or a natural person, are problems. */
  private async resolvePool(
    repo: InspectionsRepository,
    codes: readonly string[],
    problems: Problem[],
  ): Promise<PoolEntry[]> {
    const invalid: string[] = [];
    const duplicates: string[] = [];
    const seen = new Set<string>();
    const entries: Array<{ code: string; person: boolean; hashes: string[] }> = [];
    for (const raw of codes) {
      const v = validateCode(raw);
      if (!v.valid) {
        invalid.push(raw.slice(0, 64));
        continue;
      }
      const person = PERSON_CODES.has(v.kind);
      if (seen.has(v.normalized)) {
        duplicates.push(person ? maskCitizenId(v.normalized) : v.normalized);
        continue;
      }
      seen.add(v.normalized);
      const kinds = [v.kind, ...v.alternatives.map((a) => a.kind)];
      entries.push({
        code: v.normalized,
        person,
        hashes: kinds.map((kind) => `${kind}:${this.protector.hash(kind, v.normalized)}`),
      });
    }
    const matches = await repo.subjectsByHashes(
      [...new Set(entries.flatMap((e) => e.hashes))].map((key) => ({
        kind: key.slice(0, key.indexOf(':')),
        hash: key.slice(key.indexOf(':') + 1),
      })),
    );
    const byHash = new Map(matches.map((m) => [`${m.code_kind}:${m.value_hash}`, m]));
    const persons: string[] = [];
    const unknown: string[] = [];
    const same: string[] = [];
    const taken = new Set<number>();
    const pool: PoolEntry[] = [];
    for (const e of entries) {
      const match = e.hashes.map((h) => byHash.get(h)).find((m) => m !== undefined);
      if (match?.subject_kind === 'natural_person' || (match === undefined && e.person)) {
        persons.push(e.person ? maskCitizenId(e.code) : e.code);
      } else if (match === undefined) {
        unknown.push(e.code);
      } else if (taken.has(match.subject_id)) {
        same.push(e.code);
      } else {
        taken.add(match.subject_id);
        pool.push({ id: match.subject_id, code: e.code, name: match.name, kind: match.subject_kind });
      }
    }
    const add = (codes: string[], rule: string, key: Parameters<typeof msg>[0]) => {
      if (codes.length > 0) {
        problems.push(
          problem('pool.codes', rule, msg(key, { count: codes.length, codes: listed(codes) }), codes[0]),
        );
      }
    };
    add(invalid, 'identifier.valid', 'inspections.invalid_codes');
    add(duplicates, 'inspection.duplicate_code', 'inspections.duplicate_codes');
    add(persons, 'inspection.natural_person', 'inspections.natural_person');
    add(unknown, 'inspection.unknown_code', 'inspections.unknown_codes');
    add(same, 'inspection.same_subject', 'inspections.same_subject');
    return pool;
  }

  /** A refused insert or seed update, said by its rule: the seed was used first, or is not usable. */
  private seedRefusal(err: unknown, seedId: number): unknown {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === '23505') {
      return new ConflictError(msg('inspections.seed_used', { id: seedId, draw: '—' }), {
        field: 'seedId',
        value: seedId,
        rule: 'inspection.seed_used',
      });
    }
    if (code === '23514') {
      return new PlanRuleError([
        problem(
          'seedId',
          'inspection.seed_not_before',
          msg('inspections.seed_not_before', { id: seedId }),
          seedId,
        ),
      ]);
    }
    return err;
  }

  private seedView(r: SeedRow): SeedView {
    return {
      id: Number(r.id),
      department: r.department_code,
      purpose: r.purpose,
      seed: r.seed,
      announcedAt: r.announced_at,
    };
  }

  private baseView(r: DrawRow, sample: DrawnSubject[]): DrawView {
    return {
      id: Number(r.id),
      department: r.department_code,
      departmentName: r.department_name ?? r.department_code,
      matter: r.matter,
      seedId: Number(r.seed_id),
      seed: r.seed,
      announcedAt: r.announced_at,
      drawnAt: r.drawn_at,
      model:
        r.model_code === null || r.model_version === null
          ? null
          : { code: r.model_code, version: r.model_version },
      poolSize: r.pool_size,
      poolDigest: r.pool_digest,
      groups: r.groups as DrawView['groups'],
      sample,
    };
  }

  private recordView(r: DrawRow): DrawRecordView {
    const sample = (r.sample as StoredSubject[]).map((s) => ({
      code: s.code,
      name: s.name,
      level: s.level,
      inspectors: s.inspectors,
    }));
    return { ...this.baseView(r, sample), drawnBy: r.drawn_by };
  }

  private publicView(r: DrawRow): DrawView {
    const levelsShown = r.public_level === true;
    const sample = (r.sample as StoredSubject[])
      .filter((s) => s.kind !== 'natural_person')
      .map((s) => ({
        code: s.code,
        name: s.name,
        level: levelsShown ? s.level : null,
        inspectors: s.inspectors,
      }));
    return this.baseView(r, sample);
  }
}
