// Rule: a stored or downloaded file name never carries a path, control characters or quotes, and always
// ends with the extension of the type its bytes proved (so a browser never guesses another type).
// Invisible and reordering characters are removed by invisible-characters.ts (on upload and on display).
import { stripInvisibleCharacters } from './invisible-characters';

const MAX_BASE = 120;

/** Cleans an uploaded name for storage: no directories, no control, format or reserved characters. */
export function cleanFilename(original: string, ext: string): string {
  const lastSegment = original.split(/[\\/]/).pop() ?? '';
  let base = stripInvisibleCharacters(lastSegment.normalize('NFC'))
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
    .replace(/[\u0000-\u001f\u007f"*:<>?|;,%]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  base = base.replace(/\.[A-Za-z0-9]{1,5}$/, ''); // the proven extension replaces any claimed one
  base = base.replace(/^\.+/, '').slice(0, MAX_BASE).trim();
  if (!base) base = 'document';
  return `${base}.${ext}`;
}

/** Content-Disposition for a download: always an attachment, ASCII fallback plus RFC 5987 UTF-8 name. */
export function attachmentDisposition(stored: string): string {
  const filename = displayFilename(stored);
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A stored name as shown on pages, in JSON and in downloads (names stored before the rule are cleaned here). */
export function displayFilename(stored: string): string {
  return stripInvisibleCharacters(stored) || 'document';
}
