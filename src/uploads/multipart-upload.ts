// Multipart form parsing for upload pages, registered inside each upload page plugin's own scope only (stage 1's
// application documents in src/onboarding, stage 4's security documents in src/inspection).
//
// Rule: CSRF stays on for uploads. Fields are attached to the body as plain values ('keyValues') before the
// global CSRF preHandler runs, so `_csrf` arrives as a string like on any other form; a file part becomes
// an UploadedFile (a class only this module constructs, so a text field can never pose as a file).
// Files are buffered up to the 10 MB limit; a larger file is kept as "too large" without its bytes so the
// page can say so (422) instead of failing the request.
//
// Rule: an upload is admitted (signed in, and allowed to send to this application) in an onRequest hook,
// before its body is read: an anonymous or another organization's upload never reaches memory.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';

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

/**
 * Decides whether a multipart request may be read at all; throws (unauthenticated / forbidden / not_found)
 * to refuse it. Runs in onRequest, when the session is loaded but not one byte of the body has been read.
 */
export type UploadAdmission = (req: FastifyRequest) => Promise<void>;

export async function registerUploadParsing(app: FastifyInstance, admit: UploadAdmission): Promise<void> {
  app.addHook('onRequest', async (req) => {
    const type = req.headers['content-type'] ?? '';
    if (type.toLowerCase().startsWith('multipart/')) await admit(req);
  });
  await registerUploadBodies(app);
}

/** @fastify/multipart with the upload limits, each file part buffered into an UploadedFile (page and API uploads). */
export async function registerUploadBodies(app: FastifyInstance): Promise<void> {
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12, headerPairs: 100 },
    async onFile(part) {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      const tooLarge = part.file.truncated;
      part.value = new UploadedFile(
        part.filename ?? '',
        part.mimetype ?? '',
        tooLarge ? null : Buffer.concat(chunks),
        tooLarge,
      );
    },
  });
}
