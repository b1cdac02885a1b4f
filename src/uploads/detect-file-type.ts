// Rule: an upload's type is decided by its bytes (PDF, PNG or JPEG only), never by its name or declared type.
// The bytes are read by the file-type package; which types are allowed, and that a bare signature with
// nothing after it is not a document, are decided here.
export type AllowedContentType = 'application/pdf' | 'image/png' | 'image/jpeg';

/** The allowed types, the extension a stored file gets, and the fewest bytes that are more than a signature. */
const ALLOWED: Readonly<Record<AllowedContentType, { ext: string; minBytes: number }>> = {
  'application/pdf': { ext: 'pdf', minBytes: 6 }, // '%PDF-' and something after it
  'image/png': { ext: 'png', minBytes: 9 }, // the 8-byte signature and something after it
  'image/jpeg': { ext: 'jpg', minBytes: 4 }, // FF D8 FF and something after it
};

// file-type is an ES module and this project is CommonJS: loaded once, on first use, with import().
let fileType: Promise<typeof import('file-type')> | null = null;

/** The content type the bytes prove, or null when they are not a PDF, PNG or JPEG. */
export async function detectFileType(bytes: Buffer): Promise<{ contentType: AllowedContentType; ext: string } | null> {
  if (bytes.length === 0) return null;
  fileType ??= import('file-type');
  const found = await (await fileType).fileTypeFromBuffer(bytes);
  if (!found || !isAllowedContentType(found.mime)) return null;
  const allowed = ALLOWED[found.mime];
  return bytes.length >= allowed.minBytes ? { contentType: found.mime, ext: allowed.ext } : null;
}

function isAllowedContentType(v: unknown): v is AllowedContentType {
  return typeof v === 'string' && Object.hasOwn(ALLOWED, v);
}
