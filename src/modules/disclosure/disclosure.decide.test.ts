/** The decision alone, on the shipped catalog's items: personal fields, sharing scopes, institutions. */
import { describe, expect, it } from 'vitest';
import {
  CatalogFileSchema,
  checkCatalog,
  shippedBaseCatalog,
  type CatalogItem,
  type Category,
  type LegalBasis,
} from '../catalog/index.ts';
import { render } from '../../platform/index.ts';
import { decide, type Audience, type RecordFacts } from './index.ts';

const file = CatalogFileSchema.parse(structuredClone(shippedBaseCatalog()));
const bases = new Map<string, LegalBasis>(file.legalBases.map((b) => [b.code, b]));
const { items } = checkCatalog(file, bases);
const item = (code: string): CatalogItem => {
  const found = items.find((i) => i.code === code);
  if (found === undefined) {
    throw new Error(`no item ${code}`);
  }
  return found;
};
const TODAY = '2026-11-22';
const facts = (overrides: Partial<RecordFacts> = {}): RecordFacts => ({
  departmentCode: 'FZ-SCJG',
  subjectKind: 'legal_person',
  status: 'active',
  repairOutcome: null,
  tier: null,
  displayPublic: true,
  decisionDate: '2026-10-01',
  shortestUntil: null,
  longestUntil: null,
  ...overrides,
});
const PUBLIC: Audience = { kind: 'public' };
const OTHER_DEPARTMENT: Audience = { kind: 'department', department: 'GL-ZJ', purpose: '招标投标资格审查' };

describe('personal fields', () => {
  it('discloses a debtor’s ID number masked, on the basis of law that allows it', () => {
    const d = decide(
      facts({ subjectKind: 'natural_person' }),
      item('dishonest_judgment_debtor'),
      PUBLIC,
      TODAY,
      {
        bases,
        consent: false,
      },
    );
    expect(d.visibility).toBe('masked');
    expect(d.fields.id_no).toEqual({ treatment: 'masked', rule: 'personal.basis' });
    expect(d.fields.subject_name).toEqual({ treatment: 'masked', rule: 'personal.basis' });
  });

  it('does not disclose a natural person’s record without such a basis, unless the person consented', () => {
    const record = facts({ subjectKind: 'natural_person' });
    const without = decide(record, item('credit_commitment'), PUBLIC, TODAY, { bases, consent: false });
    expect(without.visibility).toBe('hidden');
    expect(without.reasons[0]?.rule).toBe('personal.no_basis');

    const consented = decide(record, item('credit_commitment'), PUBLIC, TODAY, { bases, consent: true });
    expect(consented.visibility).toBe('masked');
    expect(consented.fields.subject_name).toEqual({ treatment: 'masked', rule: 'personal.consent' });
    // An ID number marked `never` stays out even with consent.
    expect(consented.fields.id_no).toEqual({ treatment: 'withheld', rule: 'personal.never' });
  });

  it('withholds a legal representative’s ID number from everyone but the auditor; the company sees it masked', () => {
    const penalty = item('admin_penalty');
    const rep = (audience: Audience) =>
      decide(facts(), penalty, audience, TODAY, { bases, consent: false }).fields.legal_rep_id_no?.treatment;
    expect(rep(PUBLIC)).toBe('withheld');
    expect(rep(OTHER_DEPARTMENT)).toBe('withheld');
    expect(rep({ kind: 'subject' })).toBe('masked');
    expect(rep({ kind: 'auditor' })).toBe('shown');
    // The name: withheld from the public without a basis; registration data rests on an administrative regulation.
    expect(decide(facts(), penalty, PUBLIC, TODAY, { bases, consent: false }).fields.legal_rep).toEqual({
      treatment: 'withheld',
      rule: 'personal.no_basis',
    });
    expect(
      decide(facts(), item('registration'), PUBLIC, TODAY, { bases, consent: false }).fields.legal_rep,
    ).toEqual({
      treatment: 'masked',
      rule: 'personal.basis',
    });
  });

  it('shows a record without personal fields in full', () => {
    const filled = new Set(['subject_name', 'uscc', 'document_no', 'decision_date']);
    const d = decide(facts(), item('admin_licensing'), PUBLIC, TODAY, { bases, consent: false }, filled);
    expect(d.visibility).toBe('full');
    // The same record with a legal representative filled in shows it withheld: masked, not full.
    const withRep = new Set([...filled, 'legal_rep']);
    expect(
      decide(facts(), item('admin_licensing'), PUBLIC, TODAY, { bases, consent: false }, withRep).visibility,
    ).toBe('masked');
    expect(d.reasons[0]).toMatchObject({
      rule: 'catalog.disclosure',
      basis: { code: 'PRC-ADMIN-LICENSING-LAW' },
    });
  });
});

describe('sharing scopes', () => {
  const compulsion = item('admin_compulsion');
  it('keeps a subject-only item from the public, and says so', () => {
    const d = decide(facts({ displayPublic: false }), compulsion, PUBLIC, TODAY, { bases, consent: false });
    expect(d.visibility).toBe('hidden');
    // The reason is a message of the catalogue, told in the reader's language.
    expect(d.reasons.map((r) => [r.rule, render('en', r.message), render('zh-CN', r.message)])).toEqual([
      [
        'catalog.disclosure',
        expect.stringContaining('only the subject') as unknown,
        expect.stringContaining('不向社会公开：仅限主体本身查阅') as unknown,
      ],
    ]);
  });

  it('shares a conditional item only for a named administrative matter, or with the department that sent it', () => {
    const record = facts({ displayPublic: false });
    const ctx = { bases, consent: false };
    const filled = new Set(['subject_name', 'uscc', 'decision_no']);
    expect(decide(record, compulsion, OTHER_DEPARTMENT, TODAY, ctx).reasons[0]?.rule).toBe(
      'sharing.conditional',
    );
    expect(decide(record, compulsion, OTHER_DEPARTMENT, TODAY, ctx).visibility).toBe('hidden');
    expect(
      decide(record, compulsion, { ...OTHER_DEPARTMENT, matter: 'bidding' }, TODAY, ctx, filled).visibility,
    ).toBe('full');
    const own: Audience = { kind: 'department', department: 'FZ-SCJG', purpose: '执法检查' };
    expect(decide(record, compulsion, own, TODAY, ctx).reasons[0]?.rule).toBe('sharing.own');
  });

  it('keeps a watch-list flag from the public and from institutions, but not from the subject', () => {
    const watch = item('watch_list');
    const ctx = { bases, consent: false };
    const record = facts({ displayPublic: false });
    expect(decide(record, watch, PUBLIC, TODAY, ctx).visibility).toBe('hidden');
    const bank: Audience = {
      kind: 'institution',
      institution: 'DEMO-BANK',
      purpose: '授信',
      categories: ['watch_list'],
    };
    expect(decide(record, watch, bank, TODAY, ctx).visibility).toBe('hidden');
    expect(decide(record, watch, { kind: 'subject' }, TODAY, ctx).visibility).not.toBe('hidden');
  });
});

describe('institutions', () => {
  const bank = (categories: Category[]): Audience => ({
    kind: 'institution',
    institution: 'DEMO-BANK',
    purpose: '小微企业信用贷款审批',
    categories,
  });
  const penalty = item('admin_penalty');
  const general = facts({ tier: 'general', shortestUntil: '2027-01-01', longestUntil: '2027-10-01' });

  it('sees only the categories the subject authorised, masked where personal', () => {
    const ctx = { bases, consent: false };
    expect(decide(general, penalty, bank(['administrative_licensing']), TODAY, ctx)).toMatchObject({
      visibility: 'hidden',
      reasons: [{ rule: 'authorisation.scope' }],
    });
    expect(decide(general, penalty, bank(['administrative_penalty']), TODAY, ctx).reasons[0]?.rule).toBe(
      'authorisation.granted',
    );
  });

  it('sees nothing the display period, a revocation or a repair has withdrawn', () => {
    const ctx = { bases, consent: false };
    const audience = bank(['administrative_penalty']);
    expect(decide({ ...general, longestUntil: TODAY }, penalty, audience, TODAY, ctx).reasons[0]?.rule).toBe(
      'display.ended',
    );
    expect(decide({ ...general, status: 'revoked' }, penalty, audience, TODAY, ctx).reasons[0]?.rule).toBe(
      'record.revoked',
    );
    expect(
      decide({ ...general, status: 'repaired', repairOutcome: 'shield' }, penalty, audience, TODAY, ctx)
        .reasons[0]?.rule,
    ).toBe('repair.shield');
  });
});

describe('the clock', () => {
  it('ends disclosure on the last day of the period by itself, and repair opens at the shortest period', () => {
    const penalty = item('admin_penalty');
    const record = facts({
      tier: 'general',
      decisionDate: '2025-11-22',
      shortestUntil: '2026-02-22',
      longestUntil: '2026-11-22',
    });
    const on = (today: string) =>
      decide(record, penalty, { kind: 'subject' }, today, { bases, consent: false });
    expect(on('2026-02-21').repair).toMatchObject({
      repairable: true,
      from: '2026-02-22',
      eligible: false,
      verdict: 'not_yet',
      rule: 'repair.shortest_period',
    });
    expect(render('en', on('2026-02-21').repair.message)).toContain('from 2026-02-22');
    expect(on('2026-02-22').repair).toMatchObject({ eligible: true, verdict: 'eligible' });
    expect(render('zh-CN', on('2026-02-22').repair.message)).toContain('停止公示、共享和使用');
    // Once the display period has ended there is nothing left to repair.
    expect(on('2026-11-22').repair).toMatchObject({ verdict: 'never', rule: 'repair.display_ended' });
    expect(on('2026-11-21').publicView?.shown).toBe(true);
    expect(on('2026-11-22').publicView).toMatchObject({ shown: false, reason: { rule: 'display.ended' } });
    expect(on('2026-11-22').displayEnded).toBe(true);
  });
});
