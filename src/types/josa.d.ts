// The josa package ships no types; these are the parts the portal uses (src/i18n/korean-particles.ts).
declare module 'josa' {
  /** A function giving the particle for a word, for a particle named by its after-consonant form ('을', '이', '으로', …). */
  export function getJosaPicker(josa: string): (word: string) => string;
  /** Replaces every `#{을}`-style marker with the particle fitting the word before it. */
  export function josa(template: string): string;
}
