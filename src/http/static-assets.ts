// Rule: in production, pages link static files by content-hashed names (/public/app.<hash>.css, from the
// `{{asset 'app.css'}}` helper), served with `Cache-Control: public, max-age=31536000, immutable`: a browser
// keeps a file until its content, and so its name, changes, and never asks again. The names are computed
// once at start from the bytes read then, and those same bytes are what the hashed URL serves (from
// memory), so a hashed name can never answer with other content. The plain names (/public/app.css) keep
// working with a short cache, and development pages use them, so an edited file shows on reload.
// Text files (CSS, scripts, SVG) are also compressed once, on first request, brotli and gzip, and a hashed URL answers
// with the coding the client prefers (Vary: Accept-Encoding); app.css goes as about a fifth of its 18 kB.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { encodingNegotiator } from './content-encoding';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

interface StaticAsset {
  /** Path under public/, with / separators: "app.css". */
  name: string;
  /** The same with the content hash before the extension: "app.3f9c2b1a7d04.css". */
  hashedName: string;
  type: string;
  body: Buffer;
  /** The body compressed once (on first read), for text types: `br` and `gzip`. */
  readonly encoded: Partial<Record<'br' | 'gzip', Buffer>>;
}

const COMPRESSIBLE = new Set(['.css', '.js', '.svg', '.json', '.txt']);

function compressedOnce(body: Buffer, ext: string): StaticAsset['encoded'] {
  if (!COMPRESSIBLE.has(ext) || body.length < 256) return {};
  const br = zlib.brotliCompressSync(body, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  const gzip = zlib.gzipSync(body, { level: 9 });
  // A coding that does not make the file smaller is not offered.
  return { ...(br.length < body.length ? { br } : {}), ...(gzip.length < body.length ? { gzip } : {}) };
}

export interface AssetManifest {
  files: StaticAsset[];
  /** The URL pages link for a file under public/: hashed when `hashed`, else the plain name. */
  url(name: string): string;
}

/** Reads every file under `dir` once and names each by its content. */
export function loadAssetManifest(dir: string, opts: { hashed: boolean }): AssetManifest {
  const files: StaticAsset[] = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) {
        const body = fs.readFileSync(path.join(dir, rel));
        const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 12);
        const ext = path.extname(rel);
        const hashedName = `${rel.slice(0, rel.length - ext.length)}.${hash}${ext}`;
        const type = TYPES[ext] ?? 'application/octet-stream';
        // Compressed on first use, then kept: brotli at quality 11 costs about 21 ms of CPU for app.css, which
        // every app start (and every test app) would otherwise pay for files it may never serve.
        let encoded: StaticAsset['encoded'] | undefined;
        files.push({
          name: rel,
          hashedName,
          type,
          body,
          get encoded() {
            encoded ??= compressedOnce(body, ext);
            return encoded;
          },
        });
      }
    }
  };
  if (fs.existsSync(dir)) walk('');
  const byName = new Map(files.map((f) => [f.name, f]));
  return {
    files,
    url(name: string): string {
      const f = byName.get(name);
      // A template naming a file that does not exist is a bug to see at once, not a broken link.
      if (!f) throw new Error(`no static asset public/${name}`);
      return `/public/${opts.hashed ? f.hashedName : f.name}`;
    },
  };
}

/**
 * One route per hashed name, answered from memory with the immutable cache header (the assets context), in the
 * coding the client prefers among those made (on the file's first request).
 */
export function serveHashedAssets(app: FastifyInstance, manifest: AssetManifest): void {
  const encodingFor = encodingNegotiator(['br', 'gzip', 'identity']);
  for (const f of manifest.files) {
    app.get(`/public/${f.hashedName}`, (req, reply) => {
      reply.header('Cache-Control', IMMUTABLE).type(f.type);
      const { br, gzip } = f.encoded;
      if (br === undefined && gzip === undefined) return reply.send(f.body);
      reply.header('Vary', 'Accept-Encoding');
      const coding = encodingFor(req.headers['accept-encoding']);
      const encoded = coding === 'br' ? br : coding === 'gzip' ? gzip : undefined;
      if (encoded === undefined) return reply.send(f.body);
      return reply.header('Content-Encoding', coding).send(encoded);
    });
  }
}
