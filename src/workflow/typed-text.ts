// Rule: free text a person types for the record (a reason, a note, a finding's title) is kept with Unix line
// ends and without surrounding spaces, and cut one character past its limit so that "too long" can be told
// apart from "exactly the limit" by the caller. Anything that is not a string is empty.
export function typedText(v: unknown, max: number): string {
  return typeof v === 'string'
    ? v
        .replace(/\r\n/g, '\n')
        .trim()
        .slice(0, max + 1)
    : '';
}
