/**
 * Loading, versioning and reading the catalog. A load is refused whole when the file does not
 * parse or breaks a rule of law; otherwise, if anything changed, it becomes the catalog's next
 * version in one transaction.
 */
import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import {
  canonicalJson,
  ConflictError,
  msg,
  NotFoundError,
  parseWith,
  processCache,
  RuleViolationError,
  sha256Hex,
  type AuditActor,
  type AuditWriter,
  type ProcessCache,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { CatalogRepository, type CatalogRow, type ItemRow } from './catalog.repository.ts';
import { checkCatalog, type Violation } from './catalog.rules.ts';
import { CatalogFileSchema, type CatalogItem, type LegalBasis } from './catalog.schema.ts';

export interface LoadResult {
  catalog: string;
  version: number;
  status: 'created' | 'updated' | 'unchanged';
  added: string[];
  changed: string[];
  retired: string[];
  unchanged: number;
}

/** A catalog refused for breaking rules: every violation is kept, the first is the message. */
export class CatalogRuleError extends RuleViolationError {
  constructor(readonly violations: Violation[]) {
    const first = violations[0];
    const params = {
      field: first?.field ?? 'catalog',
      message: first?.message ?? msg('catalog.breaks_a_rule'),
    };
    super(
      violations.length > 1
        ? msg('catalog.refused_more', { ...params, more: violations.length - 1 })
        : msg('catalog.refused', params),
      { field: first?.field, value: first?.value, rule: first?.rule },
    );
  }
}

const require = createRequire(import.meta.url);

/** The national base catalog shipped with the platform, with the legal bases it cites. */
export function shippedBaseCatalog(): unknown {
  const file = require('./data/national-base.json') as Record<string, unknown>;
  const bases = require('./data/legal-bases.json') as { legalBases: unknown[] };
  return { ...file, legalBases: bases.legalBases };
}

/**
 * How long the current items and legal bases are read from memory before the database is asked
 * again: a catalog loaded by another process (the CLI) takes effect within this time; one loaded
 * through this service at once.
 */
const CURRENT_MS = 5000;

export class CatalogService {
  private readonly repository: CatalogRepository;
  /** The current items and legal bases, kept in the process (CURRENT_MS); a failed read is not kept. */
  private readonly current: ProcessCache<'current', { items: ItemRow[]; bases: LegalBasis[] }>;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
  ) {
    this.repository = new CatalogRepository(db);
    this.current = processCache(
      async () => {
        const [items, bases] = await Promise.all([this.repository.items(), this.repository.legalBases()]);
        return { items, bases };
      },
      { max: 1, maxAgeMs: CURRENT_MS },
    );
  }

  /** Validates a catalog file and, if it changes anything, stores it as the next version. */
  async load(input: unknown, actor: AuditActor): Promise<LoadResult> {
    const file = parseWith(CatalogFileSchema, input);
    const registered = new Map((await this.repository.legalBases()).map((b) => [b.code, b]));
    const { items, violations } = checkCatalog(file, registered);
    if (violations.length > 0) {
      throw new CatalogRuleError(violations);
    }
    const bases = [...file.legalBases];
    const content = canonicalJson({ ...file, items });
    const digest = sha256Hex(content);

    const loaded: LoadResult = await this.db.transaction().execute(async (trx): Promise<LoadResult> => {
      const repo = new CatalogRepository(trx);
      const current = (await repo.catalogs()).find((c) => c.code === file.catalog.code);
      const existing = await repo.itemDigests();
      for (const item of items) {
        const owner = existing.get(item.code)?.owner;
        if (owner !== undefined && owner !== file.catalog.code) {
          throw new ConflictError(msg('catalog.item_owned', { item: item.code, owner }), {
            field: 'items',
            value: item.code,
            rule: 'catalog.item_code_owned',
          });
        }
      }
      if (current?.digest === digest && current.version !== null) {
        await this.audit.append(trx, {
          actor,
          action: 'catalog.load',
          target: { kind: 'catalog', id: file.catalog.code },
          details: { status: 'unchanged', version: current.version, digest },
        });
        return {
          catalog: file.catalog.code,
          version: current.version,
          status: 'unchanged',
          added: [],
          changed: [],
          retired: [],
          unchanged: items.length,
        };
      }
      const planned = items.map((item) => {
        const itemDigest = sha256Hex(canonicalJson(item));
        const before = existing.get(item.code);
        return {
          item,
          digest: itemDigest,
          changed: before === undefined || before.digest !== itemDigest || before.status !== 'active',
          isNew: before === undefined,
        };
      });
      const codes = new Set(items.map((i) => i.code));
      const retired = [...existing]
        .filter(([code, e]) => e.owner === file.catalog.code && e.status === 'active' && !codes.has(code))
        .map(([code]) => code);
      const saved = await repo.saveVersion({
        catalog: file.catalog,
        legalBases: bases,
        digest,
        content,
        loadedBy: actor.label,
        items: planned,
        retired,
      });
      const result: LoadResult = {
        catalog: file.catalog.code,
        version: saved.version,
        status: current === undefined || current.version === null ? 'created' : 'updated',
        added: planned.filter((p) => p.isNew).map((p) => p.item.code),
        changed: planned.filter((p) => p.changed && !p.isNew).map((p) => p.item.code),
        retired,
        unchanged: planned.filter((p) => !p.changed).length,
      };
      await this.audit.append(trx, {
        actor,
        action: 'catalog.load',
        target: { kind: 'catalog', id: file.catalog.code },
        details: { ...result, digest },
      });
      return result;
    });
    this.current.forget();
    return loaded;
  }

  /** Loads the shipped national base catalog. */
  loadShipped(actor: AuditActor): Promise<LoadResult> {
    return this.load(shippedBaseCatalog(), actor);
  }

  /** On first start: load the shipped base catalog when no catalog exists yet. */
  async ensureBase(actor: AuditActor): Promise<LoadResult | undefined> {
    const catalogs = await this.repository.catalogs();
    return catalogs.some((c) => c.kind === 'national_base') ? undefined : this.loadShipped(actor);
  }

  catalogs(): Promise<CatalogRow[]> {
    return this.repository.catalogs();
  }

  async legalBases(): Promise<LegalBasis[]> {
    return (await this.current.get('current')).bases;
  }

  async items(): Promise<ItemRow[]> {
    return (await this.current.get('current')).items;
  }

  /** The current definition of an active item; NotFoundError for an unknown or retired one. */
  async item(code: string): Promise<ItemRow> {
    const [row] = await this.repository.items({ code });
    if (row === undefined) {
      throw new NotFoundError(msg('catalog.no_item', { code }));
    }
    return row;
  }

  /** The item as defined in the given catalog version: the rules a record entered under. */
  async itemAtVersion(code: string, versionId: number): Promise<CatalogItem> {
    const item = await this.repository.itemAtVersion(code, versionId);
    if (item === undefined) {
      throw new NotFoundError(msg('catalog.no_item_in_version', { code, version: versionId }));
    }
    return item;
  }
}
