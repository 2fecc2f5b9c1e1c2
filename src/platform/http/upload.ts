/**
 * Reads a multipart upload: the file streamed to a temporary file (never held in memory), the
 * other fields as text. Every field value, field name and the file's name are checked for text
 * that cannot be stored; a malformed body (no boundary, no closing boundary, garbage) is a 400
 * in the catalogue's shape, where the parser would throw a bare error.
 */
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError, fieldReason, InvalidRequestError, ValidationError } from '../errors.ts';
import { msg, type Text } from '../i18n/index.ts';
import { findBadText } from '../text.ts';
import { badTextError } from './text-guard.ts';

export interface UploadedFile {
  /** Where the file's bytes are, until `cleanup()`. */
  path: string;
  /** The file name the client gave, checked as text. */
  name: string;
  /** The file was larger than the route's limit and was cut off. */
  truncated: boolean;
}

export interface Upload {
  fields: Record<string, string>;
  file: UploadedFile | undefined;
  /** Removes the temporary file; always call it (in a `finally`). */
  cleanup(): Promise<void>;
}

/** Errors of the multipart parser itself: thrown as plain Errors with no status. */
function isMalformed(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof AppError || 'statusCode' in err) {
    return false;
  }
  return /multipart|boundary|part|unexpected end/i.test(err.message);
}

function checkText(value: string, where: string, label: Text = where): void {
  const found = findBadText(value);
  if (found !== undefined) {
    throw badTextError(found, where, label);
  }
}

/**
 * Reads the request's parts. The route must have registered `@fastify/multipart` with its limits;
 * the limits' own errors (too many parts, a file too large) carry their status and rule already.
 */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-upload-'));
  const cleanup = () => fs.rm(dir, { recursive: true, force: true });
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  try {
    for await (const part of request.parts()) {
      checkText(part.fieldname, 'field name', msg('multipart.labels.field_name'));
      if (part.type === 'file') {
        checkText(part.filename, 'file name', msg('multipart.labels.file_name'));
        const target = path.join(dir, 'upload');
        await pipeline(part.file, createWriteStream(target));
        file = { path: target, name: part.filename, truncated: part.file.truncated };
      } else {
        const value = String(part.value);
        checkText(value, part.fieldname);
        fields[part.fieldname] = value;
      }
    }
    return { fields, file, cleanup };
  } catch (err) {
    await cleanup();
    if (isMalformed(err)) {
      throw new InvalidRequestError(msg('multipart.not_well_formed', { cause: (err as Error).message }), {
        rule: 'multipart.malformed',
      });
    }
    throw err;
  }
}

/** The named field of an upload, or a 400 naming it with `hint` (a message, to be said in the caller's language). */
export function requiredField(upload: Upload, name: string, hint: Text): string {
  const value = upload.fields[name];
  if (value === undefined || value === '') {
    throw new ValidationError(fieldReason(name, hint), { field: name, rule: 'required' });
  }
  return value;
}
