// Rule: an upload is accepted only when it is a non-empty PDF, PNG or JPEG (proven by its bytes) of at most
// 10 MB; anything else is refused with a message and nothing is stored.
import crypto from 'node:crypto';
import type { FieldError } from '../http/errors';
import { detectFileType, type AllowedContentType } from './detect-file-type';
import { cleanFilename } from './safe-download-filename';
import type { UploadedFile } from './multipart-upload';

export interface CheckedUpload {
  filename: string;
  contentType: AllowedContentType;
  bytes: Buffer;
  sha256: string;
}

export type UploadCheck = { ok: true; upload: CheckedUpload } | { ok: false; error: FieldError };

export async function checkUpload(field: string, file: UploadedFile | null): Promise<UploadCheck> {
  if (!file || (file.isEmpty && !file.filename))
    return { ok: false, error: { field, message: 'inspection.errors.file_required' } };
  if (file.tooLarge)
    return { ok: false, error: { field, message: 'inspection.errors.file_too_large', params: { max: '10 MB' } } };
  const bytes = file.bytes;
  if (!bytes || bytes.length === 0) return { ok: false, error: { field, message: 'inspection.errors.file_empty' } };
  const type = await detectFileType(bytes);
  if (!type) return { ok: false, error: { field, message: 'inspection.errors.file_type' } };
  return {
    ok: true,
    upload: {
      filename: cleanFilename(file.filename, type.ext),
      contentType: type.contentType,
      bytes,
      sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    },
  };
}
