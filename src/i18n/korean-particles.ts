// Rule: a Korean particle after an interpolated word is chosen from that word, never shown as a pair.
// Catalogs write the pair the way Korean style guides do (`{stage}을(를)`, `{organization}이(가)`,
// `{account}(으)로`); translate() fills the placeholder and keeps the one particle that fits the word's
// last sound. The josa package decides it, Hangul, digits (…0001 → 일 → 을) and Latin letters (KFTC → 를,
// Apple → 을) alike; es-hangul, the other well-kept choice, reads only Hangul endings, and names, codes
// and references here often end in digits or Latin letters.
import { getJosaPicker } from 'josa';

/** Each written pair and the form the josa package names it by (the form after a final consonant). */
const PAIRS: Record<string, string> = {
  '을(를)': '을',
  '를(을)': '을',
  '이(가)': '이',
  '가(이)': '이',
  '은(는)': '은',
  '는(은)': '은',
  '과(와)': '과',
  '와(과)': '과',
  '(으)로': '으로',
};
const PICKERS = new Map(Object.entries(PAIRS).map(([pair, form]) => [pair, getJosaPicker(form)]));

const escapeParens = (s: string) => s.replace(/[()]/g, '\\$&');
/** A placeholder, closing quotes or brackets after it, then a pair: `{name}’을(를)`. */
export const PLACEHOLDER_WITH_PAIR = new RegExp(
  `\\{(\\w+)\\}([’”'"」』)\\]]*)(${Object.keys(PAIRS).map(escapeParens).join('|')})`,
  'g',
);
/** Any pair left in text (the test of generated sentences looks for these). */
export const ANY_PAIR = new RegExp(Object.keys(PAIRS).map(escapeParens).join('|'));

/** The particle for `word` in place of `pair` ('을(를)' → '을' or '를'); the pair itself if it is not one. */
export function particleFor(word: string, pair: string): string {
  const pick = PICKERS.get(pair);
  if (!pick) return pair;
  // The last character that is read aloud decides: trailing spaces and punctuation are not.
  const spoken = word.replace(/[\s.,!?…’”'"」』)\]}>-]+$/u, '');
  return spoken === '' ? pair : pick(spoken);
}

/** Fills `{name}` placeholders from params, choosing each particle that follows one from the filled word. */
export function fillWithParticles(message: string, params: Record<string, unknown>): string {
  const withParticles = message.includes('(')
    ? message.replace(PLACEHOLDER_WITH_PAIR, (m, name: string, closing: string, pair: string) =>
        params[name] === undefined ? m : `${String(params[name])}${closing}${particleFor(String(params[name]), pair)}`,
      )
    : message;
  return withParticles.replace(/\{(\w+)\}/g, (m, name: string) =>
    params[name] === undefined ? m : String(params[name]),
  );
}
