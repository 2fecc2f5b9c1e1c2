/**
 * Subjects: for now, name search from memory — the bigram index each server process derives from
 * the database and keeps current from the change feed, and the name cutting it shares with SQL.
 */
export { nameGrams, nameKey, keyGrams } from './name-key.ts';
export { NameIndex, type IndexMatches } from './name-index.ts';
export {
  NameSearchIndex,
  type IndexState,
  type IndexStatus,
  type NameSearchIndexOptions,
} from './name-search-index.ts';
export type { SubjectCard } from './subjects.repository.ts';
