// Rule: in production, pages link static files by content-hashed names (/public/app.<hash>.css, from the
// `{{asset 'app.css'}}` helper), served with `Cache-Control: public, max-age=31536000, immutable`: a browser
// keeps a file until its content, and so its name, changes, and never asks again. The names are computed
// once at start from the bytes read then, and those same bytes are what the hashed URL serves (from
// memory), so a hashed name can never answer with other content. The plain names (/public/app.css) keep
// working with a short cache, and development pages use them, so an edited file shows on reload.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

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
        files.push({ name: rel, hashedName, type: TYPES[ext] ?? 'application/octet-stream', body });
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

/** One route per hashed name, answered from memory with the immutable cache header (the assets context). */
export function serveHashedAssets(app: FastifyInstance, manifest: AssetManifest): void {
  for (const f of manifest.files) {
    app.get(`/public/${f.hashedName}`, (_req, reply) => {
      reply.header('Cache-Control', IMMUTABLE).type(f.type).send(f.body);
    });
  }
}
