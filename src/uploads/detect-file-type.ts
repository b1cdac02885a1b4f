// Rule: an upload's type is decided by its first bytes (PDF, PNG or JPEG only), never by its name or declared type.
export type AllowedContentType = 'application/pdf' | 'image/png' | 'image/jpeg';

const SIGNATURES: readonly { type: AllowedContentType; magic: Buffer; ext: string }[] = [
  { type: 'application/pdf', magic: Buffer.from('%PDF-', 'latin1'), ext: 'pdf' },
  { type: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ext: 'png' },
  { type: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]), ext: 'jpg' },
];

/** The content type the bytes prove, or null when they are not a PDF, PNG or JPEG. */
export function detectFileType(bytes: Buffer): { contentType: AllowedContentType; ext: string } | null {
  for (const s of SIGNATURES) {
    if (bytes.length > s.magic.length && bytes.subarray(0, s.magic.length).equals(s.magic)) {
      return { contentType: s.type, ext: s.ext };
    }
  }
  return null;
}

export function isAllowedContentType(v: unknown): v is AllowedContentType {
  return SIGNATURES.some((s) => s.type === v);
}
