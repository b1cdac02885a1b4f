// Multipart bodies for the API's upload routes (registered only in their plugin scope). Bearer
// authentication runs in onRequest, before any byte of the body is read. Fields arrive as plain values; a
// file part becomes the uploads module's UploadedFile, so the stage's service checks it exactly as it
// checks a page upload (type proven by its bytes, 10 MB at most, nothing stored on failure).
import type { FastifyInstance } from 'fastify';
import { registerUploadBodies } from '../uploads/multipart-upload';

export async function registerApiMultipart(app: FastifyInstance): Promise<void> {
  await registerUploadBodies(app);
}
