import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testAudit, useTestDatabase } from '../../../test/support/database.ts';
import { ConflictError, ValidationError } from '../../platform/index.ts';
import { CatalogRuleError, CatalogService, shippedBaseCatalog } from './catalog.service.ts';

const db = useTestDatabase();

type RawCatalog = {
  catalog: Record<string, unknown>;
  legalBases: unknown[];
  items: Array<
    Record<string, unknown> & { code: string; display: { tiers?: Record<string, { longestMonths: number }> } }
  >;
};
const raw = () => structuredClone(shippedBaseCatalog()) as RawCatalog;

async function versionCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from catalog_version`.execute(db().db);
  return rows[0]?.n ?? -1;
}

async function refusal(service: CatalogService, input: unknown): Promise<unknown> {
  try {
    await service.load(input, { label: 'system:test' });
  } catch (err) {
    return err;
  }
  throw new Error('expected the load to be refused');
}

describe('catalog versions', () => {
  it('loads the shipped catalog as version 1, and a second identical load changes nothing', async () => {
    const service = new CatalogService(db().db, testAudit(db()));
    const first = await service.loadShipped({ label: 'system:test' });
    expect(first).toMatchObject({
      catalog: 'national-base',
      version: 1,
      status: 'created',
      changed: [],
      retired: [],
    });
    expect(first.added).toHaveLength(12);
    expect(await service.loadShipped({ label: 'system:test' })).toMatchObject({
      version: 1,
      status: 'unchanged',
      unchanged: 12,
    });
    expect(await service.ensureBase({ label: 'system:test' })).toBeUndefined();
    const penalty = await service.item('admin_penalty');
    expect(penalty).toMatchObject({ catalogCode: 'national-base', version: 1, status: 'active' });
    expect(penalty.definition.fields.find((f) => f.key === 'uscc')?.nameZh).toBe('统一社会信用代码');
  });

  it('makes a change the next version, keeping the definition a record entered under', async () => {
    const service = new CatalogService(db().db, testAudit(db()));
    const v1 = await service.item('admin_penalty');
    const file = raw();
    const penalty = file.items.find((i) => i.code === 'admin_penalty');
    if (penalty?.display.tiers?.general === undefined) {
      throw new Error('penalty has a general tier');
    }
    penalty.display.tiers.general.longestMonths = 6;
    const result = await service.load(file, { label: 'system:test' });
    expect(result).toMatchObject({
      version: 2,
      status: 'updated',
      changed: ['admin_penalty'],
      added: [],
      unchanged: 11,
    });
    const v2 = await service.item('admin_penalty');
    expect(v2.version).toBe(2);
    expect(v2.definition.display.tiers?.general.longestMonths).toBe(6);
    const before = await service.itemAtVersion('admin_penalty', v1.versionId);
    expect(before.display.tiers?.general.longestMonths).toBe(12);
    // Items the change did not touch still point at the version that defined them.
    expect((await service.item('admin_licensing')).version).toBe(1);
  });

  it('retires an item dropped from a later version; it is no longer served', async () => {
    const service = new CatalogService(db().db, testAudit(db()));
    const file = raw();
    file.items = file.items.filter((i) => i.code !== 'credit_commitment');
    const result = await service.load(file, { label: 'system:test' });
    expect(result.retired).toEqual(['credit_commitment']);
    await expect(service.item('credit_commitment')).rejects.toMatchObject({ status: 404 });
    const back = await service.loadShipped({ label: 'system:test' });
    expect(back.changed).toContain('credit_commitment');
    expect((await service.item('credit_commitment')).status).toBe('active');
  });

  it('refuses a local catalog that redefines a national item', async () => {
    const service = new CatalogService(db().db, testAudit(db()));
    const file = raw();
    file.catalog = {
      ...file.catalog,
      code: 'local-test',
      kind: 'local_supplementary',
      nameZh: '本地补充目录',
      division: '350100',
    };
    file.items = file.items.filter((i) => i.code === 'red_list');
    const err = await refusal(service, file);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).toBody()).toMatchObject({
      rule: 'catalog.item_code_owned',
      value: 'red_list',
    });
  });

  it('stores nothing when a catalog breaks a rule or does not parse', async () => {
    const service = new CatalogService(db().db, testAudit(db()));
    const versions = await versionCount();
    const broken = raw();
    const watch = broken.items.find((i) => i.code === 'watch_list');
    if (watch !== undefined) {
      watch.disclosure = 'public';
    }
    const err = await refusal(service, broken);
    expect(err).toBeInstanceOf(CatalogRuleError);
    // A public watch list breaks two rules: it cites no basis for disclosure, and D35 forbids it.
    expect((err as CatalogRuleError).violations.map((v) => v.rule)).toEqual([
      'D49.4.disclose_basis',
      'D35.watch_list',
    ]);
    expect((err as CatalogRuleError).toBody()).toMatchObject({
      error: 'rule_violation',
      rule: 'D49.4.disclose_basis',
      field: 'items.9.legalBases',
    });
    expect((err as CatalogRuleError).message).toMatch(/\(and 1 more\)$/);
    // Chinese first: the first violation and the count, in the reader's language.
    expect((err as CatalogRuleError).messageIn('zh-CN')).toBe(
      'items.9.legalBases：目录项 watch_list 向社会公开，但未列明公开依据（国办发〔2020〕49号（四））（另有 1 项）',
    );
    expect((err as CatalogRuleError).messageIn('en')).toBe(
      'items.9.legalBases: item watch_list is disclosed to the public but cites no basis for disclosure (国办发〔2020〕49号（四）) (and 1 more)',
    );

    const unparsable = raw();
    unparsable.items[0] = { ...unparsable.items[0], sharing: 'everyone' } as RawCatalog['items'][number];
    const parseErr = await refusal(service, unparsable);
    expect(parseErr).toBeInstanceOf(ValidationError);
    expect((parseErr as ValidationError).field).toBe('items.0.sharing');
    expect(await versionCount()).toBe(versions);
  });
});
