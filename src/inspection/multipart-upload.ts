// Multipart form parsing for upload pages, registered inside the inspection routes' own plugin scope only.
//
// Rule: CSRF stays on for uploads. Fields are attached to the body as plain values ('keyValues') before the
// global CSRF preHandler runs, so `_csrf` arrives as a string like on any other form; a file part becomes
// an UploadedFile (a class only this module constructs, so a text field can never pose as a file).
// Files are buffered up to the 10 MB limit; a larger file is kept as "too large" without its bytes so the
// page can say so (422) instead of failing the request.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/errors';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export class UploadedFile {
  constructor(
    readonly filename: string,
    readonly declaredType: string,
    /** null when the file was larger than the limit (its bytes were discarded). */
    readonly bytes: Buffer | null,
    readonly tooLarge: boolean,
  ) {}

  /** A browser sends an empty part when no file was chosen. */
  get isEmpty(): boolean {
    return !this.tooLarge && (this.bytes === null || this.bytes.length === 0);
  }
}

export function uploadedFile(v: unknown): UploadedFile | null {
  return v instanceof UploadedFile ? v : null;
}

export async function registerUploadParsing(app: FastifyInstance): Promise<void> {
  // Nobody without a session gets a body parsed: refuse before reading the upload.
  app.addHook('preValidation', async (req) => {
    const type = req.headers['content-type'] ?? '';
    if (type.toLowerCase().startsWith('multipart/') && typeof req.session?.userId !== 'string') {
      throw new AppError('unauthenticated', 'sign in');
    }
  });
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12, headerPairs: 100 },
    async onFile(part) {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      const tooLarge = part.file.truncated;
      part.value = new UploadedFile(part.filename ?? '', part.mimetype ?? '', tooLarge ? null : Buffer.concat(chunks), tooLarge);
    },
  });
}
