/**
 * The change feed of the subjects a department watches. A cursor is (transaction, change id, day):
 * changes are read only from transactions older than every transaction still running, in
 * (transaction, id) order, so a change whose transaction commits after a later one is never
 * skipped; display periods that ended after the cursor's day, up to today, are reported as
 * changes on the day they end, without anything having been run to end them.
 */
import { sql, type Kysely } from 'kysely';
import { isCivilDate, todayInShanghai } from '../../platform/calendar/index.ts';
import { msg, ValidationError, type AuditWriter, type DataProtector } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor, actorDepartment } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { notWithdrawn } from '../records/index.ts';
import { subjectByCode } from '../subjects/index.ts';

export interface Change {
  subjectId: number;
  recordId: number;
  item: string;
  /** new_record, new_version, superseded, status:<status>, repair:<outcome>, display_ended */
  change: string;
  at: string;
}

export interface ChangePage {
  changes: Change[];
  /** Pass it back as `since` for what follows. */
  next: string;
}

const MAX_WATCH = 1000;
const PAGE = 500;

interface Cursor {
  txid: string;
  id: number;
  day: string;
}

function encode(c: Cursor): string {
  return Buffer.from(`${c.txid}.${c.id}.${c.day}`).toString('base64url');
}

function decode(since: string): Cursor {
  const parts = Buffer.from(since, 'base64url').toString('utf8').split('.');
  const [txid, id, day] = parts;
  if (
    parts.length !== 3 ||
    // Within the ranges of xid8 and of an id, and a day in the calendar: anything else would
    // reach PostgreSQL's casts and fail there.
    !/^\d{1,19}$/.test(txid ?? '') ||
    !/^\d{1,15}$/.test(id ?? '') ||
    !isCivilDate(day ?? '')
  ) {
    throw new ValidationError(msg('disclosure.feed.cursor'), {
      field: 'since',
      value: since.slice(0, 64),
      rule: 'sharing.cursor',
    });
  }
  return { txid: txid as string, id: Number(id), day: day as string };
}

export class ChangeFeedService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly protector: DataProtector,
    private readonly today: () => string = () => todayInShanghai(),
  ) {}

  private department(actor: Actor): string {
    const department = actorDepartment(actor) ?? '';
    authorize(actor, 'sharing.query', { department });
    return department;
  }

  /** Watches the subjects these codes name; answers which codes named no subject. */
  async watch(actor: Actor, codes: string[]): Promise<{ watching: number; unknown: string[] }> {
    const department = this.department(actor);
    if (codes.length === 0 || codes.length > MAX_WATCH) {
      throw new ValidationError(msg('disclosure.codes_count', { max: MAX_WATCH }), {
        field: 'codes',
        rule: 'sharing.watch_size',
      });
    }
    const found: number[] = [];
    const unknown: string[] = [];
    for (const code of codes) {
      const subject = await subjectByCode(this.db, this.protector, code, 'codes');
      if (subject === undefined) {
        unknown.push(code);
      } else {
        found.push(subject.id);
      }
    }
    await this.db.transaction().execute(async (trx) => {
      if (found.length > 0) {
        await trx
          .insertInto('watch')
          .values(
            found.map((id) => ({
              department_code: department,
              subject_id: id,
              created_by: toAuditActor(actor).label,
            })),
          )
          .onConflict((oc) => oc.columns(['department_code', 'subject_id']).doNothing())
          .execute();
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'sharing.watch',
        details: { department, subjects: found, unknown: unknown.length },
      });
    });
    const n = await this.db
      .selectFrom('watch')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('department_code', '=', department)
      .executeTakeFirst();
    return { watching: Number(n?.n ?? 0), unknown };
  }

  /** What changed for the watched subjects since the cursor (from the beginning without one). */
  async changes(actor: Actor, since?: string): Promise<ChangePage> {
    const department = this.department(actor);
    const today = this.today();
    const from: Cursor =
      since === undefined || since === '' ? { txid: '0', id: 0, day: '0001-01-01' } : decode(since);
    // Items whose records are not shared with other departments are not reported to them.
    const unshared = (await this.catalog.items())
      .filter((i) => i.definition.sharing === 'none')
      .map((i) => i.definition.code);
    const shared = sql`(r.department_code = ${department} or r.item_code not in (${sql.join(unshared.length > 0 ? unshared : [''])}))`;
    const logged = await sql<{
      txid: string;
      id: number;
      subject_id: number;
      record_id: number;
      item_code: string;
      change: string;
      at: Date;
    }>`
      select c.txid::text as txid, c.id, c.subject_id, c.record_id, r.item_code, c.change, c.at
      from change_log c
      join watch w on w.subject_id = c.subject_id and w.department_code = ${department}
      join record r on r.id = c.record_id
      where (c.txid, c.id) > (${from.txid}::xid8, ${from.id}::bigint)
        and c.txid < pg_snapshot_xmin(pg_current_snapshot())
        and ${shared}
      order by c.txid, c.id
      limit ${PAGE}`.execute(this.db);
    const last = logged.rows.at(-1);
    // The clock's changes: display periods that ended after the cursor's day, up to today.
    const full = logged.rows.length === PAGE;
    const ended = full
      ? []
      : (
          await sql<{ subject_id: number; id: number; item_code: string; longest_until: string }>`
            select r.subject_id, r.id, r.item_code, r.longest_until
            from record r join watch w on w.subject_id = r.subject_id and w.department_code = ${department}
            where r.is_current and r.longest_until > ${from.day} and r.longest_until <= ${today}
              and ${notWithdrawn} and ${shared}
            order by r.longest_until, r.id`.execute(this.db)
        ).rows;
    const changes: Change[] = [
      ...logged.rows.map((c) => ({
        subjectId: Number(c.subject_id),
        recordId: Number(c.record_id),
        item: c.item_code,
        change: c.change,
        at: c.at.toISOString(),
      })),
      ...ended.map((r) => ({
        subjectId: Number(r.subject_id),
        recordId: Number(r.id),
        item: r.item_code,
        change: 'display_ended',
        at: r.longest_until,
      })),
    ];
    const next = encode({
      txid: last?.txid ?? from.txid,
      id: last === undefined ? from.id : Number(last.id),
      day: full ? from.day : today,
    });
    await this.db.transaction().execute(async (trx) => {
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'sharing.changes',
        details: { department, since: since ?? null, changes: changes.length },
      });
    });
    return { changes, next };
  }
}
