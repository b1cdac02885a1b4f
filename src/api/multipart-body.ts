// Multipart bodies for the API's upload routes (registered only in their plugin scope). Bearer
// authentication runs in onRequest, before any byte of the body is read. Fields arrive as plain values; a
// file part becomes the inspection module's UploadedFile, so the inspection service checks it exactly
// as it checks a page upload (type proven by its bytes, 10 MB at most, nothing stored on failure).
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { MAX_UPLOAD_BYTES, UploadedFile } from '../uploads/multipart-upload';

export async function registerApiMultipart(app: FastifyInstance): Promise<void> {
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
