/**
 * Every migration, in order. Listed statically rather than found by scanning a folder, so the
 * sequence is the same however the code is run.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_catalog.ts';
import * as m0003 from './0003_access.ts';
import * as m0004 from './0004_audit.ts';
import * as m0005 from './0005_records.ts';
import * as m0006 from './0006_column_mapping.ts';
import * as m0007 from './0007_audit_archive_signed.ts';
import * as m0008 from './0008_subject_identity.ts';
import * as m0009 from './0009_quality.ts';
import * as m0010 from './0010_disclosure.ts';
import * as m0011 from './0011_name_search.ts';
import * as m0012 from './0012_sharing.ts';
import * as m0013 from './0013_change_feed.ts';
import * as m0014 from './0014_subject_gram.ts';
import * as m0015 from './0015_lists.ts';
import * as m0016 from './0016_measures.ts';
import * as m0017 from './0017_checks.ts';
import * as m0018 from './0018_check_review.ts';
import * as m0019 from './0019_sign_in.ts';
import * as m0020 from './0020_subject_changes.ts';
import * as m0021 from './0021_audit_inbox.ts';
import * as m0022 from './0022_batch_message_key.ts';
import * as m0023 from './0023_name_grams_loop.ts';
import * as m0024 from './0024_objections.ts';
import * as m0025 from './0025_repair_vocabulary.ts';
import * as m0026 from './0026_repairs.ts';
import * as m0027 from './0027_commitments.ts';
import * as m0028 from './0028_conduct_reports.ts';
import * as m0029 from './0029_reports.ts';
import * as m0030 from './0030_evaluation.ts';
import * as m0031 from './0031_inspections.ts';
import * as m0032 from './0032_federation.ts';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_platform': m0001,
  '0002_catalog': m0002,
  '0003_access': m0003,
  '0004_audit': m0004,
  '0005_records': m0005,
  '0006_column_mapping': m0006,
  '0007_audit_archive_signed': m0007,
  '0008_subject_identity': m0008,
  '0009_quality': m0009,
  '0010_disclosure': m0010,
  '0011_name_search': m0011,
  '0012_sharing': m0012,
  '0013_change_feed': m0013,
  '0014_subject_gram': m0014,
  '0015_lists': m0015,
  '0016_measures': m0016,
  '0017_checks': m0017,
  '0018_check_review': m0018,
  '0019_sign_in': m0019,
  '0020_subject_changes': m0020,
  '0021_audit_inbox': m0021,
  '0022_batch_message_key': m0022,
  '0023_name_grams_loop': m0023,
  '0024_objections': m0024,
  '0025_repair_vocabulary': m0025,
  '0026_repairs': m0026,
  '0027_commitments': m0027,
  '0028_conduct_reports': m0028,
  '0029_reports': m0029,
  '0030_evaluation': m0030,
  '0031_inspections': m0031,
  '0032_federation': m0032,
};
