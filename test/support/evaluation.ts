/** Records of any shape the evaluation may meet, for its property and oracle tests. */
import fc from 'fast-check';

const ITEMS = [
  'admin_penalty',
  'admin_compulsion',
  'serious_dishonesty_list',
  'dishonest_judgment_debtor',
  'abnormal_operation',
  'breached_commitment',
  'credit_commitment',
  'red_list',
  'registration',
  'admin_licensing',
];
/** A record of an item the shipped model reads (or not), any tier, dates and status. */
export const arbitraryRecord = fc.record({
  item: fc.constantFrom(...ITEMS),
  tier: fc.option(fc.constantFrom('minor', 'general', 'serious'), { nil: null }),
  decisionDate: fc.option(
    fc
      .integer({ min: 0, max: 365 * 12 })
      .map((d) => new Date(Date.UTC(2015, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
    { nil: null },
  ),
  longestUntil: fc.option(
    fc
      .integer({ min: 0, max: 365 * 14 })
      .map((d) => new Date(Date.UTC(2015, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
    { nil: null },
  ),
  status: fc.constantFrom('active', 'active', 'under_objection', 'repaired', 'revoked', 'corrected'),
});
