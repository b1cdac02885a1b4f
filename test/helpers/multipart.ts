// Multipart bodies built by hand (boundary strings), and a multipart POST through the Browser helper's
// cookie jar with the page's CSRF token, as a browser's file upload form sends it.
import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Browser } from './build';

export interface FilePart {
  field?: string;
  filename: string;
  contentType?: string;
  content: Buffer | string;
}

export function multipartBody(
  fields: Record<string, string>,
  files: FilePart[] = [],
): { payload: Buffer; contentType: string } {
  const boundary = `----obp${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'),
    );
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        'utf8',
      ),
    );
    chunks.push(typeof f.content === 'string' ? Buffer.from(f.content, 'latin1') : f.content);
    chunks.push(Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts a multipart form with the browser's cookies; the CSRF token comes from `formUrl` unless csrf is false. */
export async function postMultipart(
  b: Browser,
  url: string,
  fields: Record<string, string>,
  files: FilePart[] = [],
  opts: { formUrl?: string; csrf?: boolean } = {},
): Promise<LightMyRequestResponse> {
  const all = { ...fields };
  if (opts.csrf !== false) all._csrf = await b.csrfToken(opts.formUrl ?? url);
  // The token goes first, as a browser sends the hidden field before the file input.
  const ordered = opts.csrf !== false ? { _csrf: all._csrf!, ...fields } : all;
  const { payload, contentType } = multipartBody(ordered, files);
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await b.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { ...b.headers, 'content-type': contentType, cookie },
  });
  for (const c of res.cookies as { name: string; value: string }[]) if (c.value) b.cookies.set(c.name, c.value);
  return res;
}

/** Minimal files whose first bytes prove their type. */
export const SAMPLE_FILES = {
  pdf: Buffer.concat([
    Buffer.from('%PDF-1.7\n% security self-assessment\n', 'latin1'),
    crypto.randomBytes(64),
    Buffer.from('\n%%EOF\n', 'latin1'),
  ]),
  // A 1×1 PNG (signature, IHDR, IDAT, IEND), then bytes that make each sample differ.
  png: Buffer.concat([
    Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    ),
    crypto.randomBytes(64),
  ]),
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(64)]),
  html: Buffer.from('<html><script>alert(1)</script></html>', 'utf8'),
};
