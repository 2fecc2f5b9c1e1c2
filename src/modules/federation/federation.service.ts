/**
 * The node's place in the federation, on PostgreSQL's logical replication. A provincial node
 * journals its records' changes (migration 0032) and publishes the shareable ones: the publication's
 * row filter and column list are the sharing rule, so what a province may not share never leaves
 * it. The national node subscribes to each province; its applier (federation.apply.ts) turns what
 * arrives into subjects and records of its own.
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import {
  msg,
  render,
  SYSTEM_ACTOR,
  type Message,
  ValidationError,
  type AuditWriter,
  isProvinceDivision,
  type FederationConfig,
  type Schema,
} from '../../platform/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';

export const PUBLICATION = 'xinyong_federation';

/** The columns that leave a province: the journal less the batch, the reviewer's words and the nation's own. */
export const PUBLISHED_COLUMNS = [
  'origin',
  'seq',
  'record_id',
  'previous_record_id',
  'origin_txid',
  'change',
  'subject_code',
  'subject_kind',
  'subject_name',
  'subject_division',
  'item_code',
  'sharing',
  'department_code',
  'department_name',
  'department_division',
  'department_level',
  'identity_key',
  'version',
  'is_current',
  'status',
  'repair_outcome',
  'tier',
  'tier_source',
  'decision_date',
  'display_from',
  'shortest_until',
  'longest_until',
  'display_public',
  'payload',
  'payload_digest',
  'recorded_at',
] as const;

/**
 * The rows that leave a province: items the catalog lets it share (unconditionally or on
 * conditions the nation enforces in turn), of subjects with a unified code. Natural persons' records
 * stay: their codes are keyed by each node's own data key and never travel in clear.
 */
export const PUBLISHED_ROWS = `sharing in ('unconditional', 'conditional') and subject_kind <> 'natural_person' and subject_code is not null`;

/** A subscription's name for a province. */
export const subscriptionName = (origin: string) => `xinyong_fed_${origin}`;

/** The node cannot take its place in the federation as configured: what to change, in `localized`. */
export class FederationRefusedError extends Error {
  constructor(readonly localized: Message) {
    super(render('en', localized));
    this.name = 'FederationRefusedError';
  }
}

export interface OriginStatus {
  origin: string;
  subscription: string;
  enabled: boolean;
  /** Whether the apply worker runs (connected to the province). */
  connected: boolean;
  lastReceivedAt: string | null;
  received: number;
  applied: number;
  waiting: number;
  failed: number;
}

export interface FederationStatus {
  role: 'single' | 'provincial' | 'national';
  node: string;
  /** A province: its journal, and what it publishes. */
  published?: {
    publication: boolean;
    journalled: number;
    shareable: number;
    slots: Array<{ name: string; active: boolean; lagBytes: number | null }>;
  };
  /** The nation: each province subscribed. */
  origins?: OriginStatus[];
}

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

export class FederationService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly config: FederationConfig,
    /** The primary's connection string: subscriptions are made over a connection of their own. */
    private readonly databaseUrl: string | undefined,
  ) {}

  get role(): FederationConfig['role'] {
    return this.config.role;
  }

  /** This node's division code (000000 for a single node). */
  private get node(): string {
    return this.config.role === 'single' ? '000000' : this.config.node;
  }

  /**
   * Runs `statement` on a connection of its own, outside any transaction: a subscription that
   * creates or drops its slot cannot be made inside one.
   */
  private async outsideTransaction(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  /**
   * At start: records what this node is, and on a province makes sure the server can publish
   * (wal_level = logical) and the publication exists. Throws FederationRefusedError, saying what to
   * change, when it cannot.
   */
  async prepare(): Promise<void> {
    const node = this.node;
    await this.db
      .updateTable('federation_node')
      .set({ role: this.config.role, node, updated_at: new Date() })
      .where('singleton', '=', true)
      .execute();
    if (this.config.role !== 'provincial') {
      return;
    }
    const level = await sql<{ wal_level: string }>`show wal_level`.execute(this.db);
    if (level.rows[0]?.wal_level !== 'logical') {
      throw new FederationRefusedError(msg('federation.wal_level', { now: level.rows[0]?.wal_level ?? '?' }));
    }
    const exists = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_publication where pubname = ${PUBLICATION}`.execute(this.db);
    if ((exists.rows[0]?.n ?? 0) === 0) {
      try {
        await sql
          .raw(
            `create publication ${PUBLICATION} for table federation_share (${PUBLISHED_COLUMNS.join(', ')}) where (${PUBLISHED_ROWS}) with (publish = 'insert')`,
          )
          .execute(this.db);
      } catch (err) {
        throw new FederationRefusedError(
          msg('federation.publication', { name: PUBLICATION, cause: (err as Error).message }),
        );
      }
      await this.audit.append(this.db, {
        actor: SYSTEM_ACTOR,
        action: 'federation.publish',
        details: { node, publication: PUBLICATION, columns: [...PUBLISHED_COLUMNS], rows: PUBLISHED_ROWS },
      });
    }
  }

  private requireNational(): void {
    if (this.config.role !== 'national') {
      throw new ValidationError(msg('federation.not_national'), {
        field: 'XINYONG_NODE',
        value: this.config.role,
        rule: 'federation.national_only',
      });
    }
  }

  /**
   * The nation subscribes to a province's publication. CREATE SUBSCRIPTION needs a superuser on
   * PostgreSQL 15; the province's URL names a role with the REPLICATION attribute.
   */
  async subscribe(actor: Actor, origin: string, provinceUrl: string): Promise<void> {
    authorize(actor, 'federation.manage');
    this.requireNational();
    if (!isProvinceDivision(origin)) {
      throw new ValidationError(msg('federation.origin'), {
        field: 'origin',
        value: origin,
        rule: 'federation.origin',
      });
    }
    if (!/^postgres(ql)?:\/\/.+/.test(provinceUrl)) {
      throw new ValidationError(msg('federation.url'), {
        field: 'url',
        value: provinceUrl.replace(/:[^:@/]*@/, ':***@'),
        rule: 'federation.url',
      });
    }
    await this.outsideTransaction(
      `create subscription ${subscriptionName(origin)} connection ${quoteLiteral(provinceUrl)} publication ${PUBLICATION}`,
    );
    await this.audit.append(this.db, {
      actor: toAuditActor(actor),
      action: 'federation.subscribe',
      target: { kind: 'province', id: origin },
      details: { origin, subscription: subscriptionName(origin), publication: PUBLICATION },
    });
  }

  /** The nation stops following a province; what it received stays. */
  async unsubscribe(actor: Actor, origin: string): Promise<void> {
    authorize(actor, 'federation.manage');
    this.requireNational();
    await this.outsideTransaction(
      `drop subscription if exists ${subscriptionName(origin.replace(/[^0-9]/g, ''))}`,
    );
    await this.audit.append(this.db, {
      actor: toAuditActor(actor),
      action: 'federation.unsubscribe',
      target: { kind: 'province', id: origin },
      details: { origin },
    });
  }

  async status(actor: Actor): Promise<FederationStatus> {
    authorize(actor, 'federation.read');
    const node = this.node;
    if (this.config.role === 'provincial') {
      const r = await sql<{ publication: boolean; journalled: number; shareable: number }>`
        select exists (select 1 from pg_publication where pubname = ${PUBLICATION}) as publication,
          (select count(*)::int from federation_share) as journalled,
          (select count(*)::int from federation_share where ${sql.raw(PUBLISHED_ROWS)}) as shareable`.execute(
        this.db,
      );
      const slots = await sql<{ name: string; active: boolean; lag_bytes: string | null }>`
        select slot_name as name, active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text as lag_bytes
        from pg_replication_slots where slot_type = 'logical' order by slot_name`.execute(this.db);
      const row = r.rows[0];
      return {
        role: 'provincial',
        node,
        published: {
          publication: row?.publication ?? false,
          journalled: row?.journalled ?? 0,
          shareable: row?.shareable ?? 0,
          slots: slots.rows.map((s) => ({
            name: s.name,
            active: s.active,
            lagBytes: s.lag_bytes === null ? null : Number(s.lag_bytes),
          })),
        },
      };
    }
    if (this.config.role !== 'national') {
      return { role: 'single', node };
    }
    const subs = await sql<{ name: string; enabled: boolean; connected: boolean; last: Date | null }>`
      select s.subname as name, s.subenabled as enabled, st.pid is not null as connected,
        st.last_msg_receipt_time as last
      from pg_subscription s left join pg_stat_subscription st on st.subid = s.oid and st.relid is null
      where s.subname like 'xinyong_fed_%' and s.subdbid = (select oid from pg_database where datname = current_database())
      order by s.subname`.execute(this.db);
    const counts = await sql<{
      origin: string;
      received: number;
      applied: number;
      waiting: number;
      failed: number;
    }>`
      select origin, count(*)::int as received, count(applied_at)::int as applied,
        count(*) filter (where applied_at is null and apply_error is null)::int as waiting,
        count(apply_error)::int as failed
      from federation_share group by origin`.execute(this.db);
    const byOrigin = new Map(counts.rows.map((c) => [c.origin, c]));
    return {
      role: 'national',
      node,
      origins: subs.rows.map((s) => {
        const origin = s.name.slice('xinyong_fed_'.length);
        const c = byOrigin.get(origin);
        return {
          origin,
          subscription: s.name,
          enabled: s.enabled,
          connected: s.connected,
          lastReceivedAt: s.last === null ? null : s.last.toISOString(),
          received: c?.received ?? 0,
          applied: c?.applied ?? 0,
          waiting: c?.waiting ?? 0,
          failed: c?.failed ?? 0,
        };
      }),
    };
  }
}
