/**
 * Subjects: the registry of whom records are about — finding a subject by a code someone typed, a
 * subject user's own subject — and public search, by code or by name: names matched in SQL, or
 * from memory by the bigram index each server process derives from the database and keeps current
 * from the change feed, with the name cutting it shares with SQL.
 */
export { auditFiledRead, filedScope, gateFiled, tellSubject, type Filed } from './subjects.applications.ts';
export {
  applicantSubject,
  hashesOf,
  ownSubject,
  subjectByCode,
  subjectByHashes,
  subjectOfUser,
} from './subjects.lookup.ts';
export {
  MAX_QUERY,
  PAGE_SIZE_MAX,
  publiclyFindable,
  SearchService,
  shownCode,
  type NameMatcher,
  type SearchHit,
  type SearchResult,
  type SearchRow,
} from './subjects.search.ts';
export { nameGrams, nameKey, keyGrams } from './name-key.ts';
export { NameIndex, type IndexMatches } from './name-index.ts';
export {
  NameSearchIndex,
  type IndexState,
  type IndexStatus,
  type NameSearchIndexOptions,
} from './name-search-index.ts';
export type { SubjectCard, SubjectRow } from './subjects.repository.ts';
