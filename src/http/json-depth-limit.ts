// Rule: a JSON request body nested deeper than MAX_JSON_DEPTH arrays/objects is refused (400) before it is
// parsed, so no code that walks request data (parsers, validators, the NUL check) can be driven into a
// stack overflow. No form or API body of the portal needs more than a handful of levels.
import { AppError } from './errors';

export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of arrays and objects in `text`, counted without parsing and without recursion
 * (brackets inside strings do not count). Stops as soon as `limit` is exceeded.
 */
export function jsonNestingDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */)
        i++; // the escaped character cannot end the string
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return deepest;
}

/** Throws a 400 (bad_request) when the body is nested too deeply. */
export function assertJsonDepth(text: string): void {
  if (jsonNestingDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new AppError('bad_request', 'common.errors.too_deep');
  }
}
