// Rule: every template and partial compiles with the helpers named up front (src/http/views.ts,
// templateCompileOptions), so a page never finds out at render time that it calls a helper nobody registered.
// A template is compiled on its first render: this file compiles all of them now, including any no test renders.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { createHandlebars, templateCompileOptions } from '../../src/http/views';
import { viewsDir } from '../../src/paths';

const hbs = createHandlebars((name) => `/public/${name}`);
const options = templateCompileOptions(hbs);

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return templates(full);
    return e.name.endsWith('.hbs') ? [full] : [];
  });
}

t.test('every template in views/ compiles with only the registered helpers', async (t) => {
  const files = templates(viewsDir);
  t.ok(files.length >= 60, `${files.length} templates`);
  for (const file of files) {
    const name = path.relative(viewsDir, file);
    t.doesNotThrow(() => hbs.precompile(fs.readFileSync(file, 'utf8'), options), name);
  }
});

t.test('a helper nobody registered fails when compiled', async (t) => {
  t.throws(() => hbs.precompile('<p>{{shout "hi"}}</p>', options), /unknown helper shout/, 'an unknown helper');
  t.throws(() => hbs.precompile('{{#shout "x"}}<p>hi</p>{{/shout}}', options), /unknown helper shout/, 'as a block');
  t.ok(
    options?.knownHelpers?.t && options.knownHelpers.each && options.knownHelpers.fieldError,
    'ours and the built-ins',
  );
});

t.test('a plain name still prints the value, and a registered helper still runs', async (t) => {
  const render = hbs.compile('{{reference}}|{{eq a b}}|{{#if ok}}yes{{/if}}|{{#each list}}{{this}}{{/each}}', options);
  t.equal(render({ reference: '<OB-1>', a: 1, b: 1, ok: true, list: [1, 2] }), '&lt;OB-1&gt;|true|yes|12');
});
