/**
 * Documents a subject gives as evidence (an objection's, later a repair's): size-capped, their type
 * read from their content (never from the name), kept by the SHA-256 of their bytes in a directory
 * outside the database, and never served to the public. The same bytes are kept once.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Schema } from './db/index.ts';
import { ValidationError } from './errors.ts';
import { msg } from './i18n/index.ts';
import { storableText } from './text.ts';

/** The types accepted as evidence: PDF, JPEG, PNG and OFD (GB/T 33190, the Chinese fixed-layout format). */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/ofd'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** At most 5 MiB a document and 5 documents an application. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;

export interface AttachmentInput {
  fileName: string;
  content: Buffer;
}

export interface StoredAttachment {
  sha256: string;
  mediaType: AttachmentType;
  bytes: number;
  fileName: string;
}

/** A file whose name is safe to show and store: no path, no control characters, at most 200 characters. */
function cleanName(fileName: string): string {
  const base = storableText(path.basename(fileName.replaceAll('\\', '/')))
    .replace(/\p{Cc}/gu, '')
    .trim();
  return (base === '' ? 'attachment' : base).slice(0, 200);
}

/** What the bytes are, read from their content; undefined for anything but the accepted types. */
export async function sniff(content: Buffer): Promise<AttachmentType | undefined> {
  // Loaded when a document arrives, not with every command of the platform.
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(content);
  if (found === undefined) {
    return undefined;
  }
  if (found.mime === 'application/pdf' || found.mime === 'image/jpeg' || found.mime === 'image/png') {
    return found.mime;
  }
  // An OFD document is a ZIP container whose entry point is OFD.xml at its root.
  if (found.mime === 'application/zip') {
    const { default: JSZip } = await import('jszip');
    const zip = await JSZip.loadAsync(content).catch(() => undefined);
    return zip === undefined || zip.file('OFD.xml') === null ? undefined : 'application/ofd';
  }
  return undefined;
}

export class AttachmentStore {
  constructor(private readonly dir: string) {}

  private pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  /**
   * Checks every file first (count, size, type), then writes each once under its digest. A refusal
   * names the file, the value and the rule, and writes nothing.
   */
  async check(files: readonly AttachmentInput[], field = 'attachments'): Promise<StoredAttachment[]> {
    if (files.length > MAX_ATTACHMENTS) {
      throw new ValidationError(msg('attachments.too_many', { count: files.length, max: MAX_ATTACHMENTS }), {
        field,
        value: String(files.length),
        rule: 'attachment.count',
      });
    }
    const checked: StoredAttachment[] = [];
    for (const [i, file] of files.entries()) {
      const fileName = cleanName(file.fileName);
      const at = `${field}.${i}`;
      if (file.content.length === 0 || file.content.length > MAX_ATTACHMENT_BYTES) {
        throw new ValidationError(
          msg('attachments.size', { file: fileName, bytes: file.content.length, max: MAX_ATTACHMENT_BYTES }),
          { field: at, value: fileName, rule: 'attachment.size' },
        );
      }
      const mediaType = await sniff(file.content);
      if (mediaType === undefined) {
        throw new ValidationError(msg('attachments.type', { file: fileName }), {
          field: at,
          value: fileName,
          rule: 'attachment.type',
        });
      }
      const sha256 = createHash('sha256').update(file.content).digest('hex');
      checked.push({ sha256, mediaType, bytes: file.content.length, fileName });
    }
    return checked;
  }

  /**
   * Writes checked files (a file already there is the same bytes: left as it is). Written before
   * the rows that name them commit: a rollback can leave a file no row names, never a row without
   * its file.
   */
  async write(files: readonly AttachmentInput[], checked: readonly StoredAttachment[]): Promise<void> {
    for (const [i, file] of files.entries()) {
      const meta = checked[i];
      if (meta === undefined) {
        continue;
      }
      const target = this.pathOf(meta.sha256);
      const exists = await fs.stat(target).then(
        () => true,
        () => false,
      );
      if (exists) {
        continue;
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${randomUUID()}.part`;
      await fs.writeFile(temporary, file.content, { mode: 0o600 });
      await fs.rename(temporary, target);
    }
  }

  /** Rows for checked files, in the caller's transaction (the same bytes given before: one row). */
  async remember(
    db: Kysely<Schema> | Transaction<Schema>,
    files: readonly StoredAttachment[],
  ): Promise<void> {
    if (files.length === 0) {
      return;
    }
    await db
      .insertInto('attachment')
      .values(files.map((f) => ({ sha256: f.sha256, media_type: f.mediaType, bytes: f.bytes })))
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  /** The bytes kept under a digest; undefined when there are none (or they no longer match it). */
  async read(sha256: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      return undefined;
    }
    const content = await fs.readFile(this.pathOf(sha256)).catch(() => undefined);
    if (content === undefined || createHash('sha256').update(content).digest('hex') !== sha256) {
      return undefined;
    }
    return content;
  }
}

/** Attachments as a JSON body carries them: each file's name and its bytes in base64. */
export const AttachmentsBody = z
  .array(
    z.object({
      fileName: z.string().min(1).max(200),
      content: z
        .base64()
        .describe(
          `the document's bytes in base64: PDF, JPEG, PNG or OFD, at most ${MAX_ATTACHMENT_BYTES} bytes`,
        ),
    }),
  )
  .max(MAX_ATTACHMENTS);

/** The body limit of a route that takes attachments: the largest set in base64, and room for the rest. */
export const ATTACHMENTS_BODY_LIMIT = Math.ceil((MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES * 4) / 3) + 64 * 1024;

/** The files of a body, decoded. */
export function decodeAttachments(
  files: ReadonlyArray<{ fileName: string; content: string }> | undefined,
): AttachmentInput[] {
  return (files ?? []).map((f) => ({ fileName: f.fileName, content: Buffer.from(f.content, 'base64') }));
}
