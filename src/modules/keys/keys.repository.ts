/** The registry's rows: the platform's public keys and their validity. */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { SigningKeyTable } from '../../platform/db/schema.ts';
import { withUserId } from './keys.crypto.ts';
import type { Algorithm, PublishedKey } from './keys.types.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;
export type KeyRow = Selectable<SigningKeyTable>;

export function published(row: KeyRow, now: Date): PublishedKey {
  return withUserId({
    keyId: row.key_id,
    algorithm: row.algorithm,
    publicKey: row.public_key,
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until?.toISOString() ?? null,
    status:
      row.revoked_at !== null
        ? 'revoked'
        : row.valid_until !== null && row.valid_until <= now
          ? 'retired'
          : 'active',
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedReason: row.revoked_reason,
  });
}

export class KeysRepository {
  constructor(private readonly db: Executor) {}

  all(): Promise<KeyRow[]> {
    return this.db.selectFrom('signing_key').selectAll().orderBy('valid_from').orderBy('key_id').execute();
  }

  one(keyId: string): Promise<KeyRow | undefined> {
    return this.db.selectFrom('signing_key').selectAll().where('key_id', '=', keyId).executeTakeFirst();
  }

  /** Keys of `algorithm` that still sign at `now`: the newest first. */
  inForce(algorithm: Algorithm, now: Date): Promise<KeyRow[]> {
    return this.db
      .selectFrom('signing_key')
      .selectAll()
      .where('algorithm', '=', algorithm)
      .where('revoked_at', 'is', null)
      .where('valid_from', '<=', now)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]))
      .orderBy('valid_from', 'desc')
      .execute();
  }

  /** Registers a key; a key already registered (another process registered it first) is left as it is. */
  async register(key: {
    keyId: string;
    algorithm: Algorithm;
    publicKey: string;
    validFrom: Date;
  }): Promise<void> {
    await this.db
      .insertInto('signing_key')
      .values({
        key_id: key.keyId,
        algorithm: key.algorithm,
        public_key: key.publicKey,
        valid_from: key.validFrom,
      })
      .onConflict((oc) => oc.column('key_id').doNothing())
      .execute();
  }

  /** Ends the validity of every key of `algorithm` still in force but `keep`. Returns their IDs. */
  async endOthers(algorithm: Algorithm, keep: string, at: Date): Promise<string[]> {
    const rows = await this.db
      .updateTable('signing_key')
      .set({ valid_until: at })
      .where('algorithm', '=', algorithm)
      .where('key_id', '<>', keep)
      .where('revoked_at', 'is', null)
      .where('valid_until', 'is', null)
      .returning('key_id')
      .execute();
    return rows.map((r) => r.key_id);
  }

  async retire(keyId: string, at: Date): Promise<KeyRow | undefined> {
    return this.db
      .updateTable('signing_key')
      .set({ valid_until: sql`coalesce(valid_until, ${at})`, retired_at: at })
      .where('key_id', '=', keyId)
      .returningAll()
      .executeTakeFirst();
  }

  async revoke(keyId: string, reason: string, at: Date): Promise<KeyRow | undefined> {
    return this.db
      .updateTable('signing_key')
      .set({ valid_until: sql`coalesce(valid_until, ${at})`, revoked_at: at, revoked_reason: reason })
      .where('key_id', '=', keyId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }
}
