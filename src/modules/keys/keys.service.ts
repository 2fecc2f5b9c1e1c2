/**
 * Managing the platform's keys: rotation (a new key signs from now; the previous one stays
 * published and verifies what it signed), retirement (a key signs no more) and revocation (a
 * compromised key: what it signed is no longer trusted). Each is audited.
 */
import type { Kysely } from 'kysely';
import {
  ConflictError,
  msg,
  NotFoundError,
  ValidationError,
  type AuditWriter,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import { KeysRepository, published } from './keys.repository.ts';
import type { KeyRegistry } from './keys.registry.ts';
import type { PublishedKey } from './keys.types.ts';

const MAX_REASON = 500;

export class KeyService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    readonly registry: KeyRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): Promise<PublishedKey[]> {
    return this.registry.published();
  }

  /** A new key of the configured algorithm signs from now; the keys it replaces stop signing. */
  async rotate(actor: Actor): Promise<{ key: PublishedKey; replaced: string[] }> {
    authorize(actor, 'keys.manage');
    const signer = await this.registry.makeKey();
    return this.db.transaction().execute(async (trx) => {
      const repo = new KeysRepository(trx);
      const replaced = await repo.endOthers(signer.algorithm, signer.keyId, this.now());
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'keys.rotate',
        target: { kind: 'signing_key', id: signer.keyId },
        details: { algorithm: signer.algorithm, replaced },
      });
      const row = await repo.one(signer.keyId);
      if (row === undefined) {
        throw new NotFoundError(msg('keys.not_found', { key: signer.keyId }));
      }
      return { key: published(row, this.now()), replaced };
    });
  }

  /** The key signs no more; what it signed while valid still verifies. */
  async retire(actor: Actor, keyId: string): Promise<PublishedKey> {
    authorize(actor, 'keys.manage');
    return this.change(actor, keyId, 'keys.retire', {}, (repo, at) => repo.retire(keyId, at));
  }

  /** The key is compromised: nothing it signed is trusted any more (verification says so). */
  async revoke(actor: Actor, keyId: string, reason: string): Promise<PublishedKey> {
    authorize(actor, 'keys.manage');
    const why = reason.trim();
    if (why === '' || why.length > MAX_REASON) {
      throw new ValidationError(msg('keys.reason', { max: MAX_REASON }), {
        field: 'reason',
        value: why.slice(0, 64),
        rule: 'keys.revoke_reason',
      });
    }
    return this.change(actor, keyId, 'keys.revoke', { reason: why }, (repo, at) =>
      repo.revoke(keyId, why, at),
    );
  }

  private async change(
    actor: Actor,
    keyId: string,
    action: string,
    details: Record<string, unknown>,
    apply: (repo: KeysRepository, at: Date) => Promise<Parameters<typeof published>[0] | undefined>,
  ): Promise<PublishedKey> {
    return this.db.transaction().execute(async (trx) => {
      const repo = new KeysRepository(trx);
      const row = await apply(repo, this.now());
      if (row === undefined) {
        if ((await repo.one(keyId)) === undefined) {
          throw new NotFoundError(msg('keys.not_found', { key: keyId }));
        }
        throw new ConflictError(msg('keys.already_revoked', { key: keyId }), {
          field: 'keyId',
          value: keyId,
          rule: 'keys.revoked',
        });
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action,
        target: { kind: 'signing_key', id: keyId },
        details,
      });
      return published(row, this.now());
    });
  }
}
