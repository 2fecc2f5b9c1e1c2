/**
 * The database as Kysely sees it: one interface per table. Modules add their tables here together
 * with the migration that creates them.
 */
import type { ColumnType, Generated } from 'kysely';

/** A `timestamptz` column filled by the database. */
export type CreatedAt = ColumnType<Date, never, never>;

/** A holiday table an operator loaded for a year the calendar package does not cover (yet). */
export interface CalendarYearTable {
  year: number;
  /** The notice the table transcribes, e.g. 国务院办公厅关于20xx年部分节假日安排的通知. */
  source: string;
  loaded_at: CreatedAt;
}

export interface CalendarDayTable {
  date: string;
  year: number;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface LegalBasisTable {
  code: string;
  title: string;
  doc_number: string | null;
  issuer: string;
  rank: string;
  effective_from: string | null;
  seed_ref: string | null;
  note: string | null;
  updated_at: ColumnType<Date, never, Date>;
}

export interface CatalogTable {
  code: string;
  kind: 'national_base' | 'local_supplementary';
  name_zh: string;
  name_en: string;
  division: string | null;
  current_version_id: number | null;
}

export interface CatalogVersionTable {
  id: Generated<number>;
  catalog_code: string;
  version: number;
  digest: string;
  content: ColumnType<unknown, string, never>;
  loaded_by: string;
  loaded_at: CreatedAt;
}

export interface CatalogItemTable {
  code: string;
  catalog_code: string;
  version_id: number;
  category: string;
  status: 'active' | 'retired';
  definition: ColumnType<unknown, string, string>;
}

export interface CatalogItemVersionTable {
  item_code: string;
  version_id: number;
  digest: string;
  definition: ColumnType<unknown, string, never>;
}

export interface DepartmentTable {
  code: string;
  name: string;
  division: string;
  level: string;
  domains: string[];
  uscc: string | null;
  demo: Generated<boolean>;
  created_at: CreatedAt;
}

export interface InstitutionTable {
  code: string;
  name: string;
  kind: string;
  uscc: string | null;
  demo: Generated<boolean>;
  created_at: CreatedAt;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  department_code: string | null;
  institution_code: string | null;
  subject_code: string | null;
  subject_code_encrypted: string | null;
  subject_code_hash: string | null;
  demo: Generated<boolean>;
  disabled_at: Date | null;
  created_at: CreatedAt;
  password_changed_at: Generated<Date>;
  /** Set by a reset, or a password someone else chose: only a change of password is allowed. */
  must_change_password: Generated<boolean>;
  /** Failed sign-ins since `failed_since`; at the limit the account is locked until `locked_until`. */
  failed_logins: Generated<number>;
  failed_since: Date | null;
  locked_until: Date | null;
  /** The TOTP secret, sealed by the data protector; enrolled but unconfirmed while `totp_enabled_at` is null. */
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  /** The last TOTP time step a code was accepted for: a code is good once. */
  totp_last_step: number | null;
}

export interface UserSessionTable {
  token_hash: string;
  user_id: number;
  created_at: CreatedAt;
  expires_at: Date;
  revoked_at: Date | null;
  last_seen_at: Generated<Date>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  token_hash: string;
  prefix: string;
  name: string;
  role: string;
  department_code: string | null;
  institution_code: string | null;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Date;
  revoked_at: Date | null;
}

/** What an audit event says, the same waiting in the inbox and once chained. */
export interface AuditEventContent {
  /** Written as an ISO text with microseconds, so the hashed form can be read back exactly. */
  occurred_at: ColumnType<Date, string, never>;
  actor: string;
  actor_role: string | null;
  actor_department: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  details: ColumnType<unknown, string, never>;
}

export interface AuditEventTable extends AuditEventContent {
  seq: number;
  prev_hash: string;
  hash: string;
  /** The inbox event it was chained from (null for events chained before the inbox existed). */
  inbox_id: ColumnType<number | null, number | null | undefined, never>;
  txid: ColumnType<string | null, string | null | undefined, never>;
}

/** An event written by its action, waiting to be chained by the sequencer. */
export interface AuditInboxTable extends AuditEventContent {
  id: Generated<number>;
  /** The transaction that wrote the event (not hashed): a shared change's `origin_txid` finds it. */
  txid: Generated<string | null>;
}

export interface AuditHeadTable {
  singleton: boolean;
  seq: number;
  hash: string;
}

export interface AuditArchiveTable {
  id: Generated<number>;
  through_seq: number;
  last_hash: string;
  file_digest: string;
  event_count: number;
  archived_at: CreatedAt;
  manifest: ColumnType<unknown, string, never>;
  signature: string | null;
  /** The key that signed the manifest (null: signed before the key registry). */
  key_id: string | null;
}

export interface SubjectTable {
  id: Generated<number>;
  kind: string;
  name: string;
  division: string | null;
  status: 'registered' | 'provisional' | 'deregistered';
  created_at: CreatedAt;
  name_encrypted: string | null;
  updated_at: ColumnType<Date, never, Date>;
  /** Generated by the database: the name's search key and its character bigrams. */
  name_key: ColumnType<string, never, never>;
  name_grams: ColumnType<string[], never, never>;
}

export interface SubjectNameHistoryTable {
  id: Generated<number>;
  subject_id: number;
  name: string;
  replaced_on: string;
  replaced_by_record_id: number | null;
  recorded_at: CreatedAt;
}

export interface PersonRoleTable {
  record_id: number;
  org_subject_id: number;
  person_subject_id: number | null;
  person_masked: string;
  role: string;
  since: string | null;
  until: string | null;
}

export interface SubjectCodeTable {
  id: Generated<number>;
  subject_id: number;
  kind: string;
  value_hash: string;
  value: string | null;
  value_encrypted: string | null;
  masked: string;
  valid_from: string | null;
  valid_until: string | null;
}

export interface BatchTable {
  id: Generated<number>;
  department_code: string;
  item_code: string;
  catalog_version_id: number;
  source_name: string;
  source_format: 'csv' | 'xlsx' | 'jsonl' | 'api';
  encoding: string | null;
  sheet: string | null;
  status: 'staging' | 'validated' | 'committed' | 'failed';
  corrects_batch_id: number | null;
  submitted_by: string;
  total: Generated<number>;
  accepted: Generated<number>;
  rejected: Generated<number>;
  duplicates: Generated<number>;
  review: Generated<number>;
  warnings: Generated<number>;
  dropped_columns: Generated<string[]>;
  /** The file's columns in order, each with the catalog field it maps to (or null: dropped). */
  columns: ColumnType<unknown, string | undefined, string>;
  message: string | null;
  /** The message as a key of the catalogue with its values (`{ key, params }`), when it has one. */
  message_key: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: CreatedAt;
  committed_at: Date | null;
  rows_read: Generated<number>;
  timed: Generated<number>;
  late: Generated<number>;
  completeness: number | null;
  read_fraction: number | null;
  /** The sending department's domain the batch was determined in (null: the department's first). */
  domain: string | null;
  progress_at: ColumnType<Date, never, Date>;
}

export interface BatchRowTable {
  batch_id: number;
  row_no: number;
  status: 'accepted' | 'rejected' | 'duplicate' | 'review';
  payload: ColumnType<unknown, string, string>;
  normalized: ColumnType<unknown, string | null, string | null>;
  reasons: ColumnType<unknown, string, string>;
  warnings: ColumnType<unknown, string, string>;
  subject_kind: string | null;
  subject_name: string | null;
  code_kind: string | null;
  code_hash: string | null;
  code_value: string | null;
  code_encrypted: string | null;
  code_masked: string | null;
  identity_key: string | null;
  payload_digest: string | null;
  decision_date: string | null;
  tier: string | null;
  tier_source: string | null;
  shortest_until: string | null;
  longest_until: string | null;
  display_public: boolean | null;
  /** Every code of the row, each {kind, hash, value, encrypted, masked}; the first identifies best. */
  codes: ColumnType<unknown, string | undefined, string>;
  subject_name_encrypted: string | null;
  subject_id: number | null;
  revokes: Generated<boolean>;
  registration_status: string | null;
  /** The person of a role row: {hash, encrypted, masked, role, since, until}. */
  person: ColumnType<unknown, string | null | undefined, string | null>;
  working_days: number | null;
  late: boolean | null;
  completeness: number | null;
  /** How a reviewer resolved a review row. */
  resolution: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface RecordTable {
  id: Generated<number>;
  subject_id: number;
  department_code: string;
  item_code: string;
  catalog_version_id: number;
  identity_key: string;
  version: number;
  previous_id: number | null;
  is_current: boolean;
  payload: ColumnType<unknown, string, string>;
  payload_digest: string;
  decision_date: string | null;
  tier: string | null;
  tier_source: string | null;
  display_from: string | null;
  shortest_until: string | null;
  longest_until: string | null;
  display_public: boolean;
  status: Generated<'active' | 'under_objection' | 'corrected' | 'revoked' | 'repaired'>;
  repair_outcome: string | null;
  batch_id: number | null;
  row_no: number | null;
  received_at: CreatedAt;
  status_reason: string | null;
  working_days: number | null;
  late: boolean | null;
  /** The province a federated record came from (its division), and its id and change there; null for the node's own. */
  origin: string | null;
  origin_record_id: number | null;
  origin_seq: number | null;
}

export interface ColumnMappingTable {
  department_code: string;
  item_code: string;
  heading: string;
  field_key: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface PersonalConsentTable {
  id: Generated<number>;
  subject_id: number;
  item_code: string | null;
  given_by: string;
  given_at: CreatedAt;
  withdrawn_at: Date | null;
}

export interface AuthorisationTable {
  id: Generated<number>;
  subject_id: number;
  institution_code: string;
  categories: string[];
  purpose: string;
  mode: 'records' | 'verification';
  valid_from: string;
  valid_until: string;
  granted_by: string;
  granted_at: CreatedAt;
  revoked_at: Date | null;
}

export interface AuthorisationUseTable {
  id: Generated<number>;
  authorisation_id: number;
  used_at: CreatedAt;
  kind: 'file' | 'verify';
  question: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  recipient_kind: 'subject' | 'department' | 'institution';
  recipient: string;
  topic: string;
  body: ColumnType<unknown, string, never>;
  created_at: CreatedAt;
  delivered_at: Date | null;
}

export interface WatchTable {
  department_code: string;
  subject_id: number;
  created_by: string;
  created_at: CreatedAt;
}

export interface ChangeLogTable {
  id: Generated<number>;
  txid: ColumnType<string, never, never>;
  subject_id: number;
  /** Null for a change of the subject itself (its name, status, codes). */
  record_id: number | null;
  change: string;
  at: CreatedAt;
}

export interface ListTypeTable {
  code: string;
  name_zh: string;
  kind: 'serious_dishonesty' | 'red' | 'dishonest_debtor' | 'abnormal_operation' | 'watch';
  item_code: string;
  domain: string;
  categories: string[];
  definition: ColumnType<unknown, string, string>;
  created_by: string;
  created_at: CreatedAt;
}

export type ListCaseStatus =
  'proposed' | 'notified' | 'objected' | 'answered' | 'announced' | 'listed' | 'removed' | 'withdrawn';

export interface ListCaseTable {
  id: Generated<number>;
  list_type: string;
  subject_id: number;
  department_code: string;
  status: ListCaseStatus;
  facts: ColumnType<unknown, string, string>;
  leniency: ColumnType<unknown, string | undefined, string>;
  notified_on: string | null;
  objection_until: string | null;
  decided_on: string | null;
  valid_until: string | null;
  record_id: number | null;
  removed_on: string | null;
  removal: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ListStepTable {
  id: Generated<number>;
  case_id: number;
  step: string;
  on_day: string;
  by_actor: string;
  document_kind: string | null;
  document_number: string | null;
  document: ColumnType<unknown, string | null, never>;
  html: string | null;
  created_at: CreatedAt;
}

export interface MeasureTable {
  code: string;
  direction: 'incentive' | 'punishment';
  obligation: 'mandatory' | 'recommended';
  binding: 'binding' | 'reference';
  definition: ColumnType<unknown, string, string>;
}

export interface MemorandumTable {
  code: string;
  name: string;
  signed_on: string;
  signatories: string[];
  basis: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface MemorandumMeasureTable {
  memorandum_code: string;
  list_type: string;
  measure_code: string;
  obligation: 'mandatory' | 'recommended';
  matters: string[];
  implementers: string[];
}

export interface CreditCheckTable {
  id: Generated<number>;
  department_code: string;
  actor: string;
  subject_id: number;
  matter: string;
  purpose: string;
  on_day: string;
  created_at: CreatedAt;
}

export interface CheckMeasureTable {
  check_id: number;
  measure_code: string;
  list_type: string;
  status: 'applicable' | 'suspended';
  applied: boolean | null;
  reason: string | null;
  feedback_by: string | null;
  feedback_at: Date | null;
}

export interface CheckReviewTable {
  id: Generated<number>;
  department_code: string;
  actor: string;
  name: string;
  matter: string;
  purpose: string;
  candidates: number;
  created_at: CreatedAt;
  resolved_check_id: number | null;
  resolved_at: Date | null;
}

export interface ObjectionTable {
  id: Generated<number>;
  record_id: number;
  subject_id: number;
  department_code: string;
  filed_by: string;
  filed_via: 'account' | 'service_desk';
  received_as: 'written' | 'window' | null;
  reasons: string;
  status: Generated<'open' | 'upheld' | 'rejected'>;
  prior_status: string;
  filed_on: string;
  due_on: string;
  overdue_on: string;
  outcome: 'corrected' | 'revoked' | 'removed' | 'rejected' | null;
  decision: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  result_record_id: number | null;
  created_at: CreatedAt;
}

export interface AttachmentTable {
  sha256: string;
  media_type: 'application/pdf' | 'image/jpeg' | 'image/png' | 'application/ofd';
  bytes: number;
  created_at: CreatedAt;
}

export interface RepairApplicationTable {
  id: Generated<number>;
  record_id: number;
  subject_id: number;
  department_code: string;
  filed_by: string;
  filed_via: 'account' | 'service_desk';
  received_as: 'written' | 'window' | null;
  statement: string;
  commitment_text: string;
  status: Generated<'submitted' | 'returned' | 'approved' | 'refused'>;
  returned_once: Generated<boolean>;
  missing: string | null;
  submitted_on: string;
  due_on: string;
  outcome: string | null;
  decision: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  result_record_id: number | null;
  created_at: CreatedAt;
}

export interface RepairAttachmentTable {
  application_id: number;
  sha256: string;
  file_name: string;
}

export interface CommitmentTable {
  id: Generated<number>;
  subject_id: number;
  department_code: string;
  kind: 'licensing' | 'certification' | 'missing_documents';
  matter: string;
  text: string;
  signed_by: string;
  signed_on: string;
  fulfil_by: string;
  status: Generated<'signed' | 'fulfilled' | 'breached'>;
  outcome_note: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  record_id: number | null;
  breach_record_id: number | null;
  created_at: CreatedAt;
}

export interface ConductReportTable {
  id: Generated<number>;
  receipt_hash: string;
  subject_name: string;
  subject_code: string | null;
  subject_id: number | null;
  domain: string;
  department_code: string;
  description: string;
  reporter_sealed: string | null;
  status: Generated<'received' | 'acknowledged' | 'answered'>;
  received_on: string;
  acknowledge_by: string;
  answer_by: string;
  acknowledged_at: Date | null;
  answer: string | null;
  answered_on: string | null;
  created_at: CreatedAt;
}

export interface IdentityCheckTable {
  id: Generated<number>;
  user_id: number;
  method: 'id_card_reader' | 'id_card_copy' | 'face_verification';
  evidence_sha256: string | null;
  note: string | null;
  checked_by: string;
  checked_at: CreatedAt;
}

export interface ObjectionAttachmentTable {
  objection_id: number;
  sha256: string;
  file_name: string;
}

export interface SigningKeyTable {
  key_id: string;
  algorithm: 'ed25519' | 'sm2';
  public_key: string;
  valid_from: Date;
  valid_until: Date | null;
  retired_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  created_at: CreatedAt;
}

export interface CreditReportTable {
  id: Generated<number>;
  number: string;
  type: 'public' | 'matter' | 'self' | 'special';
  audience: ColumnType<unknown, string, never>;
  subject_id: number;
  requested_by: string;
  department_code: string | null;
  user_id: number | null;
  code_hash: string;
  fingerprint: string;
  key_id: string;
  signed: string;
  issued_at: Date;
}

export interface EvaluationModelTable {
  id: Generated<number>;
  code: string;
  version: number;
  digest: string;
  content: ColumnType<unknown, string, never>;
  loaded_by: string;
  loaded_at: CreatedAt;
  /** Set when a full run of the model finished and made it the model in force. */
  current_since: Date | null;
}

/** One subject's result under one model; scores and contributions in hundredths of a point. */
export interface EvaluationTable {
  model_id: number;
  subject_id: number;
  subject_kind: 'legal_person' | 'other_org' | 'individual_business';
  score: number;
  level: string;
  indicator_values: number[];
  as_of: string;
  computed_at: ColumnType<Date, Date | undefined, Date>;
}

export interface EvaluationRunTable {
  id: Generated<number>;
  model_id: number;
  kind: 'full' | 'daily' | 'subjects';
  as_of: string;
  started_by: string;
  started_at: CreatedAt;
  finished_at: Date | null;
  status: Generated<'running' | 'done' | 'failed'>;
  total: Generated<number>;
  done: Generated<number>;
  levels_up: Generated<number>;
  levels_down: Generated<number>;
  unchanged: Generated<number>;
  first_results: Generated<number>;
  /** Subjects by "from>to" level (from "" for a first result). */
  transitions: ColumnType<unknown, string | undefined, string>;
  error: string | null;
}

export interface EvaluationCursorTable {
  singleton: boolean;
  txid: string;
  change_id: number;
  day: string;
}

/** A seed a department announced before drawing with it (graded inspection sampling). */
export interface InspectionSeedTable {
  id: Generated<number>;
  department_code: string;
  purpose: string;
  /** 64 hex characters: 256 random bits. */
  seed: string;
  announced_by: string;
  announced_at: CreatedAt;
  /** The draw that used it; null while unused. */
  used_by_draw: ColumnType<number | null, never, number>;
}

/** A draw of subjects to inspect, by credit level, from an announced seed. */
export interface InspectionDrawTable {
  id: Generated<number>;
  department_code: string;
  matter: string;
  seed_id: number;
  model_id: number | null;
  /** The plan as given, canonical JSON. */
  plan: ColumnType<unknown, string, never>;
  pool_size: number;
  pool_digest: string;
  groups: ColumnType<unknown, string, never>;
  sample: ColumnType<unknown, string, never>;
  drawn_by: string;
  drawn_at: CreatedAt;
}

/** What this node is in the federation (one row). */
export interface FederationNodeTable {
  singleton: Generated<boolean>;
  role: 'single' | 'provincial' | 'national';
  node: string;
  updated_at: Generated<Date>;
}

/** A record's change as a province journals it, and as the nation receives and applies it. */
export interface FederationShareTable {
  origin: string;
  seq: Generated<number>;
  record_id: number;
  previous_record_id: number | null;
  origin_txid: string;
  change: string;
  subject_code: string | null;
  subject_kind: string;
  subject_name: string;
  subject_division: string | null;
  item_code: string;
  sharing: string;
  department_code: string;
  department_name: string;
  department_division: string;
  department_level: string;
  identity_key: string;
  version: number;
  is_current: boolean;
  status: string;
  repair_outcome: string | null;
  tier: string | null;
  tier_source: string | null;
  decision_date: string | null;
  display_from: string | null;
  shortest_until: string | null;
  longest_until: string | null;
  display_public: boolean;
  payload: ColumnType<unknown, string, string>;
  payload_digest: string;
  recorded_at: CreatedAt;
  batch_id: number | null;
  status_reason: string | null;
  received_at: Date | null;
  applied_at: Date | null;
  applied_record_id: number | null;
  apply_error: string | null;
}

export interface Schema {
  federation_node: FederationNodeTable;
  federation_share: FederationShareTable;
  inspection_seed: InspectionSeedTable;
  inspection_draw: InspectionDrawTable;
  evaluation_model: EvaluationModelTable;
  evaluation: EvaluationTable;
  evaluation_run: EvaluationRunTable;
  evaluation_cursor: EvaluationCursorTable;
  signing_key: SigningKeyTable;
  credit_report: CreditReportTable;
  objection: ObjectionTable;
  attachment: AttachmentTable;
  objection_attachment: ObjectionAttachmentTable;
  identity_check: IdentityCheckTable;
  repair_application: RepairApplicationTable;
  repair_attachment: RepairAttachmentTable;
  commitment: CommitmentTable;
  conduct_report: ConductReportTable;
  check_review: CheckReviewTable;
  credit_check: CreditCheckTable;
  check_measure: CheckMeasureTable;
  measure: MeasureTable;
  memorandum: MemorandumTable;
  memorandum_measure: MemorandumMeasureTable;
  list_type: ListTypeTable;
  list_case: ListCaseTable;
  list_step: ListStepTable;
  column_mapping: ColumnMappingTable;
  subject: SubjectTable;
  subject_code: SubjectCodeTable;
  subject_name_history: SubjectNameHistoryTable;
  person_role: PersonRoleTable;
  personal_consent: PersonalConsentTable;
  authorisation: AuthorisationTable;
  authorisation_use: AuthorisationUseTable;
  outbox: OutboxTable;
  watch: WatchTable;
  change_log: ChangeLogTable;
  batch: BatchTable;
  batch_row: BatchRowTable;
  record: RecordTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  audit_inbox: AuditInboxTable;
  audit_archive: AuditArchiveTable;
  department: DepartmentTable;
  institution: InstitutionTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  calendar_year: CalendarYearTable;
  calendar_day: CalendarDayTable;
  legal_basis: LegalBasisTable;
  catalog: CatalogTable;
  catalog_version: CatalogVersionTable;
  catalog_item: CatalogItemTable;
  catalog_item_version: CatalogItemVersionTable;
}
