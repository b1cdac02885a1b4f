// Rule: the emulator reference reads in the reader's language. Every i18n key the endpoint registry uses
// (titles, summaries, inferred notes, field meanings shared and per API, why a code is answered, what a code
// means) has non-empty text in Korean and in English; the Korean text is Korean (it has Hangul) and never
// hedges a particle as 을(를); the rendered /docs page in Korean has no placeholder for a missing key.
import t from 'tap';
import { build } from '../../helpers/build';
import { ENDPOINTS, registryMessageKeys } from '../../../src/testbed/docs/endpoints';
import { catalogueCodes } from '../../../src/testbed/docs/code-catalogue';
import { hasMessage, translate } from '../../../src/i18n';

const HANGUL = /[\uAC00-\uD7A3]/;
const HEDGED_PARTICLE = /[을를이가은는와과]\([을를이가은는와과]\)|\((을|를|이|가|은|는|와|과)\)/;

/** Keys every registry entry needs, plus the meaning of every code the registry or the catalogue lists. */
function allKeys(): string[] {
  const codes = new Set([
    ...catalogueCodes(),
    ...ENDPOINTS.flatMap((e) => e.codes.flatMap((c) => [c.code, ...(c.bank ? [c.bank] : [])])).filter((c) =>
      /^([AO]\d{4}|\d{3})$/.test(c),
    ),
  ]);
  return [...registryMessageKeys(), ...[...codes].map((c) => `testbed.code_meaning.${c}`)];
}

t.test('every registry key has non-empty text in Korean and in English', async (t) => {
  const keys = allKeys();
  t.ok(keys.length > 300, `${keys.length} keys`);
  const missing = keys.flatMap((k) =>
    (['ko', 'en'] as const).filter((l) => !hasMessage(l, k) || translate(l, k).trim() === '').map((l) => `${l}: ${k}`),
  );
  t.same(missing, [], 'keys without text');
});

t.test(
  'the Korean text of every registry key is Korean: it has Hangul, and no hedged particle such as 을(를)',
  async (t) => {
    const notKorean = allKeys().filter((k) => hasMessage('ko', k) && !HANGUL.test(translate('ko', k)));
    t.same(notKorean, [], 'Korean texts without Hangul (English left in the Korean page)');
    const hedged = allKeys().filter((k) => hasMessage('ko', k) && HEDGED_PARTICLE.test(translate('ko', k)));
    t.same(hedged, [], 'hedged particles: pick the particle that fits the word');
  },
);

t.test('the English text of every registry key is English: no Hangul except in quoted Korean names', async (t) => {
  // Korean names of KFTC's own terms may stand in English text (이용기관코드), but a sentence may not be Korean.
  const korean = allKeys().filter((k) => {
    const text = translate('en', k);
    const hangul = text.match(/[\uAC00-\uD7A3]/g)?.length ?? 0;
    return hangul > text.length / 3;
  });
  t.same(korean, [], 'English texts that are Korean');
});

t.test('/docs renders every registry text in the chosen language, without a missing-key placeholder', async (t) => {
  const app = await build(t);
  for (const lang of ['ko', 'en'] as const) {
    const res = await app.inject({ method: 'GET', url: `/docs?lang=${lang}` });
    t.equal(res.statusCode, 200);
    t.notMatch(res.body, '⟦', `${lang}: no missing key`);
    for (const e of ENDPOINTS) {
      t.ok(
        res.body.includes(escapeHtml(translate(lang, `testbed.endpoint.${e.key}.title`))),
        `${lang}: ${e.key} title`,
      );
    }
  }
  const ko = (await app.inject({ method: 'GET', url: '/docs?lang=ko' })).body;
  t.match(ko, '귀 기관 수납계좌번호', "the Korean page gives remit_list's account_num its own meaning");
});

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;')
    .replace(/`/g, '&#x60;')
    .replace(/=/g, '&#x3D;');
}
