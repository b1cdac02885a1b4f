// Rule: an uploaded file goes back only as a download: its sniffed content type, an attachment with a safe
// name, nosniff, a CSP that runs nothing (should a browser render it anyway) and no caching. Used by every
// route that returns a stored upload (security documents, application documents).
import type { FastifyReply } from 'fastify';
import { attachmentDisposition } from './safe-download-filename';

export function sendStoredFile(reply: FastifyReply, file: { contentType: string; filename: string; content: Buffer }) {
  return reply
    .header('Content-Type', file.contentType)
    .header('Content-Disposition', attachmentDisposition(file.filename))
    .header('Content-Length', String(file.content.length))
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Cache-Control', 'private, no-store')
    .send(file.content);
}
