// Rule: pages render in one Korean typeface on every machine, with or without Korean system fonts (CI's
// browser screenshots included): Pretendard (SIL Open Font License), self-hosted from its npm package.
// The variable font's dynamic subset is served: 92 woff2 files, each covering a unicode-range, so a browser
// fetches only the files holding the characters a page shows (budget and measurement:
// test/http/korean-font.test.ts). The URL carries the package version, so the files are cached for a year
// as immutable and a new version is a new URL.
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

const packageDir = path.dirname(require.resolve('pretendard/package.json'));
const { version } = require('pretendard/package.json') as { version: string };

/** Where the font's files live in the package (the CSS beside its woff2-dynamic-subset folder). */
export const KOREAN_FONT_DIR = path.join(packageDir, 'dist', 'web', 'variable');
export const KOREAN_FONT_PREFIX = `/fonts/pretendard-${version}/`;
/** The stylesheet every layout links: @font-face rules with unicode-range, pointing at the subset files. */
export const KOREAN_FONT_CSS = `${KOREAN_FONT_PREFIX}pretendardvariable-dynamic-subset.css`;

const SERVED =
  /^\/(pretendardvariable-dynamic-subset\.css|woff2-dynamic-subset\/PretendardVariable\.subset\.\d+\.woff2)$/;

export default fp(
  async (app) => {
    await app.register(fastifyStatic, {
      root: KOREAN_FONT_DIR,
      prefix: KOREAN_FONT_PREFIX,
      decorateReply: false,
      index: false,
      list: false,
      immutable: true,
      maxAge: '365d',
      // Only the stylesheet and its subset files: not the package's other formats, licence files or folders.
      allowedPath: (pathName) => SERVED.test(pathName),
    });
  },
  { name: 'korean-font' },
);
