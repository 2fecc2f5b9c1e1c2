/**
 * The checkpoint file that anchors the chain's head outside the database: one signed line per
 * checkpoint, each checked against the key registry (the key that signed it, valid when it did).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson, msg, type Message } from '../../platform/index.ts';
import { checkSignature, type PublishedKey, type Signer } from '../keys/index.ts';
import type { Checkpoint } from './audit.chain.ts';

export interface SignedCheckpoint extends Checkpoint {
  keyId: string;
  signature: string;
}

export function signCheckpoint(signer: Signer, cp: Checkpoint): SignedCheckpoint {
  return { ...cp, keyId: signer.keyId, signature: signer.sign(canonicalJson(cp)) };
}

export async function appendCheckpoint(file: string, cp: SignedCheckpoint): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.appendFile(file, `${JSON.stringify(cp)}\n`, { mode: 0o600 });
}

/**
 * Reads the checkpoint file and checks every signature against the published keys; a line that
 * does not verify is a problem of its own (the file was edited, or its key was revoked), reported
 * with its line number.
 */
export async function readCheckpoints(
  file: string,
  keys: readonly PublishedKey[],
): Promise<{ checkpoints: Checkpoint[]; problem?: Message }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { checkpoints: [] };
    }
    throw err;
  }
  const checkpoints: Checkpoint[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') {
      continue;
    }
    let cp: SignedCheckpoint;
    try {
      cp = JSON.parse(line) as SignedCheckpoint;
    } catch {
      return { checkpoints, problem: msg('audit.problem.checkpoint_json', { line: i + 1 }) };
    }
    const body: Checkpoint = { seq: cp.seq, hash: cp.hash, signedAt: cp.signedAt };
    const check = checkSignature(keys, {
      keyId: String(cp.keyId),
      text: canonicalJson(body),
      signature: String(cp.signature),
      signedAt: String(cp.signedAt),
    });
    if (!check.ok) {
      return {
        checkpoints,
        problem: msg('audit.problem.checkpoint_signature', {
          line: i + 1,
          seq: cp.seq,
          key: String(cp.keyId),
          problem: msg(`keys.problem.${check.problem}`, {
            key: String(cp.keyId),
            at: String(cp.signedAt),
            reason: check.key?.revokedReason ?? '',
            from: check.key?.validFrom ?? '',
            until: check.key?.validUntil ?? '',
          }),
        }),
      };
    }
    checkpoints.push(body);
  }
  return { checkpoints };
}
