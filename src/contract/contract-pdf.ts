// Rule: the signed contract as a PDF is a pure function of the contract row and the language — the same
// contract gives the same bytes, so its SHA-256 can be recorded and compared later. Nothing in it comes
// from the clock or randomness: the dates in the metadata are the signing and countersigning times, the
// producer and creator are fixed, pdf-lib's name suffixes come from its seeded generator, and dates are
// written out here (not by Intl, whose output changes with the ICU data of the Node build).
// The wording is the page's (contract-text.ts); Korean is set in Pretendard (node_modules/pretendard,
// SIL Open Font License), embedded as a subset.
import fs from 'node:fs/promises';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { translate, type Locale } from '../i18n';
import { formatDateTime } from '../i18n/date-format';
import { contractNumber } from './contract-number';
import { contractText } from './contract-text';
import type { ContractRecord } from './repository';

export { contractNumber, sha256Hex } from './contract-number';

// The TrueType cut of the same fonts: the .otf files are CID-keyed CFF with a FontMatrix in their font
// dictionaries, which @pdf-lib/fontkit 1.1.1 cannot parse ("Unknown operator 3079"; fixed upstream in
// foliojs/fontkit#224, not in pdf-lib's fork).
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

const FONT_DIR = path.join(
  path.dirname(require.resolve('pretendard/package.json')),
  'dist',
  'public',
  'static',
  'alternative',
);
interface FontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}
let fontFiles: Promise<FontFiles> | null = null;
function loadFonts(): Promise<FontFiles> {
  fontFiles ??= Promise.all([
    fs.readFile(path.join(FONT_DIR, 'Pretendard-Regular.ttf')),
    fs.readFile(path.join(FONT_DIR, 'Pretendard-Bold.ttf')),
  ])
    .then(([regular, bold]) => ({ regular, bold }))
    .catch((err: unknown) => {
      fontFiles = null;
      throw err;
    });
  return fontFiles;
}

// Subsetting: fontkit's TrueType subsetter copies each glyph's bytes as they are and writes the short
// `loca` format (offsets stored halved) when the subset is small. Pretendard's glyphs are not padded to an
// even length (its `loca` is the long format), so every glyph after an odd-length one would land on the
// wrong offset and draw as nothing. Each copied glyph is padded to an even length here, as the
// TrueType specification expects; the padding byte lies outside the glyph and changes no outline.
interface SubsetInternals {
  glyf: Uint8Array[];
  offset: number;
  _addGlyph(gid: number): number;
}
function padGlyphsToEvenLength(font: ReturnType<Fontkit['create']>): void {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset();
    const internals = subset as unknown as SubsetInternals;
    if (typeof internals._addGlyph !== 'function') return subset; // not the TrueType subsetter
    const addGlyph = internals._addGlyph.bind(subset);
    internals._addGlyph = (gid: number) => {
      const index = addGlyph(gid);
      const bytes = internals.glyf[index]!;
      if (bytes.length % 2 === 1) {
        const padded = new (bytes.constructor as Uint8ArrayConstructor)(bytes.length + 1);
        padded.set(bytes);
        internals.glyf[index] = padded;
        internals.offset += 1;
      }
      return index;
    };
    return subset;
  };
}

// Shaping (fontkit's layout: every OpenType feature applied, run after run) is most of a rendering once the
// font is parsed, and a contract's text is mostly the same from one contract to the next. A run's glyphs depend
// only on its text and features, so the layouts are kept per parsed font (pdf-lib reads only their glyphs,
// which fontkit itself caches per font); the bytes written are the same.
const LAYOUTS_KEPT = 20_000;
function rememberLayouts(font: ReturnType<Fontkit['create']>): void {
  const layout = font.layout.bind(font);
  const kept = new Map<string, ReturnType<typeof layout>>();
  font.layout = (text, features) => {
    const key = features === undefined ? text : `${JSON.stringify(features)}\u0000${text}`;
    let run = kept.get(key);
    if (run === undefined) {
      run = layout(text, features);
      if (kept.size >= LAYOUTS_KEPT) kept.clear();
      kept.set(key, run);
    }
    return run;
  };
}

// Parsing a font and reading its layout tables takes most of a rendering: each file is parsed once per
// process and the parsed font reused (fontkit only caches glyphs on it; a subset is a new object each time).
const parsed = new WeakMap<Uint8Array, ReturnType<Fontkit['create']>>();
const cachingFontkit: Fontkit = {
  create(bytes) {
    let font = parsed.get(bytes);
    if (!font) {
      font = (fontkit as Fontkit).create(bytes);
      padGlyphsToEvenLength(font);
      rememberLayouts(font);
      parsed.set(bytes, font);
    }
    return font;
  },
};

/** What the PDF is made from: the signed (or countersigned) contract row. */
export type ContractPdfSource = Pick<
  ContractRecord,
  | 'version'
  | 'document'
  | 'documentSha256'
  | 'signerName'
  | 'signedAt'
  | 'signerIp'
  | 'countersignerName'
  | 'countersignedAt'
  | 'effectiveDate'
>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Korean time, written out for both languages: "2026년 11월 26일 오후 2:30 (KST)" / "26 Nov 2026, 14:30 (KST)". */
function pdfDateTime(locale: Locale, iso: string): string {
  if (locale === 'ko') return `${formatDateTime('ko', iso)} (KST)`;
  const k = new Date(new Date(iso).getTime() + 9 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${k.getUTCDate()} ${MONTHS[k.getUTCMonth()]} ${k.getUTCFullYear()}, ${two(k.getUTCHours())}:${two(k.getUTCMinutes())} (KST)`;
}

// A4 in points, margins and type sizes.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { x: 56, top: 64, bottom: 64 };
const WIDTH = PAGE.width - MARGIN.x * 2;
const SIZE = { title: 17, heading: 12, body: 10, small: 8 };
const LEADING = 1.5;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.38, 0.42);
const RULE = rgb(0.75, 0.75, 0.78);

/** Control and format characters have no glyph and must not reach the content stream. */
const clean = (s: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
  s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '');

/** Width of a word at a size, measured once per rendering (each measurement is a full shaping run). */
function measurer(font: PDFFont, size: number): (s: string) => number {
  const cache = new Map<string, number>();
  return (s) => {
    let w = cache.get(s);
    if (w === undefined) {
      w = font.widthOfTextAtSize(s, size);
      cache.set(s, w);
    }
    return w;
  };
}

/**
 * Lines that fit `width`: breaks between words (Korean keeps words whole, as the page's keep-all does) and,
 * only for a word wider than the line, between characters. A line's width is its words' widths plus its
 * spaces (kerning across a space is ignored: it is a fraction of a point).
 */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const w = measurer(font, size);
  const space = w(' ');
  const lines: string[] = [];
  for (const paragraph of clean(text).split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/ +/).filter(Boolean)) {
      const wordWidth = w(word);
      if (line && lineWidth + space + wordWidth <= width) {
        line = `${line} ${word}`;
        lineWidth += space + wordWidth;
        continue;
      }
      if (line) lines.push(line);
      if (wordWidth <= width) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      line = '';
      lineWidth = 0;
      for (const ch of Array.from(word)) {
        const chWidth = w(ch);
        if (line && lineWidth + chWidth > width) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        line += ch;
        lineWidth += chWidth;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** A top-to-bottom writer that starts a new page when the next block does not fit. */
function createWriter(doc: PDFDocument, fonts: { regular: PDFFont; bold: PDFFont }) {
  let page: PDFPage = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - MARGIN.top;
  const lineHeight = (size: number) => size * LEADING;
  function room(height: number): void {
    if (y - height >= MARGIN.bottom) return;
    page = doc.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - MARGIN.top;
  }
  function lines(
    text: string,
    opts: { size?: number; bold?: boolean; color?: typeof INK; x?: number; width?: number; gapAfter?: number } = {},
  ): void {
    const size = opts.size ?? SIZE.body;
    const font = opts.bold ? fonts.bold : fonts.regular;
    const x = opts.x ?? MARGIN.x;
    for (const line of wrapText(text, font, size, opts.width ?? WIDTH - (x - MARGIN.x))) {
      room(lineHeight(size));
      y -= lineHeight(size);
      if (line) page.drawText(line, { x, y: y + (lineHeight(size) - size) / 2, size, font, color: opts.color ?? INK });
    }
    y -= opts.gapAfter ?? 0;
  }
  /** A table whose rows wrap inside their columns; a row is never split across pages. */
  function table(header: string[], rows: string[][], columns: number[]): void {
    const size = SIZE.body;
    const pad = 4;
    const xs: number[] = [];
    for (const [i] of columns.entries()) xs.push(i === 0 ? MARGIN.x : xs[i - 1]! + columns[i - 1]! * WIDTH);
    const drawRow = (cells: string[], bold: boolean) => {
      const font = bold ? fonts.bold : fonts.regular;
      const wrapped = cells.map((c, i) => wrapText(c, font, size, columns[i]! * WIDTH - pad * 2));
      const height = Math.max(...wrapped.map((l) => l.length)) * lineHeight(size) + pad;
      room(height);
      for (const [i, cellLines] of wrapped.entries()) {
        for (const [n, line] of cellLines.entries()) {
          if (!line) continue;
          page.drawText(line, {
            x: xs[i]! + pad,
            y: y - (n + 1) * lineHeight(size) + (lineHeight(size) - size) / 2,
            size,
            font,
            color: INK,
          });
        }
      }
      y -= height;
      page.drawLine({ start: { x: MARGIN.x, y }, end: { x: MARGIN.x + WIDTH, y }, thickness: 0.5, color: RULE });
    };
    room(lineHeight(size) * 2 + pad * 2); // the header stays with the first row
    drawRow(header, true);
    for (const r of rows) drawRow(r, false);
    y -= lineHeight(size) / 2;
  }
  function gap(points: number): void {
    y -= points;
  }
  /** Starts a new page unless `lineCount` body lines still fit (a heading stays with what follows it). */
  function keep(lineCount: number): void {
    room(lineCount * lineHeight(SIZE.body));
  }
  function rule(): void {
    room(8);
    y -= 4;
    page.drawLine({ start: { x: MARGIN.x, y }, end: { x: MARGIN.x + WIDTH, y }, thickness: 0.75, color: RULE });
    y -= 4;
  }
  return { lines, table, gap, rule, keep };
}

/** The contract PDF in `locale` (Korean on Korean pages, English on English ones). */
export async function renderContractPdf(locale: Locale, source: ContractPdfSource): Promise<Uint8Array> {
  const t = (key: string, params?: Record<string, unknown>) => translate(locale, `contract.${key}`, params);
  const text = contractText(locale, source.document, source.effectiveDate);
  const number = contractNumber(source);

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(cachingFontkit);
  const bytes = await loadFonts();
  const fonts = {
    regular: await doc.embedFont(bytes.regular, { subset: true }),
    bold: await doc.embedFont(bytes.bold, { subset: true }),
  };

  // Fixed metadata: the dates are the contract's own, so a second rendering is byte-for-byte the same.
  doc.setTitle(`${text.title} ${number}`);
  doc.setSubject(t('pdf.subject', { number, version: source.version }));
  doc.setAuthor(translate(locale, 'contract.text.kftc_name'));
  doc.setCreator('KFTC Open Banking onboarding portal');
  doc.setProducer('KFTC Open Banking onboarding portal (pdf-lib)');
  doc.setLanguage(locale === 'ko' ? 'ko-KR' : 'en-GB');
  doc.setCreationDate(new Date(source.signedAt));
  doc.setModificationDate(new Date(source.countersignedAt ?? source.signedAt));

  const w = createWriter(doc, fonts);
  w.lines(text.title, { size: SIZE.title, bold: true, gapAfter: 4 });
  w.lines(t('pdf.number', { number, version: source.version, terms: source.document.termsVersion }), { color: MUTED });
  w.lines(t('pdf.document_hash', { hash: source.documentSha256 }), { size: SIZE.small, color: MUTED, gapAfter: 6 });
  w.rule();

  for (const party of text.parties) {
    w.lines(party.role, { size: SIZE.small, color: MUTED });
    w.lines(party.name, { bold: true });
    for (const line of party.lines) w.lines(line);
    w.gap(6);
  }
  w.rule();

  text.articles.forEach((article, index) => {
    w.gap(4);
    w.keep(4);
    w.lines(article.heading, { size: SIZE.heading, bold: true, gapAfter: 2 });
    for (const p of article.paragraphs) w.lines(p, { gapAfter: 3 });
    if (index === 1)
      w.table(
        [text.labels.api, text.labels.fee, text.labels.monthly_calls],
        text.apis.map((a) => [a.name, a.fee, a.monthlyCalls]),
        [0.45, 0.3, 0.25],
      );
    if (index === 2)
      w.table(
        [text.labels.call_type, text.labels.fee],
        text.fees.map((f) => [f.name, f.fee]),
        [0.55, 0.45],
      );
  });

  w.gap(8);
  w.keep(10); // the signature block is not split across pages
  w.rule();
  w.lines(t('signatures_title'), { size: SIZE.heading, bold: true, gapAfter: 2 });
  w.lines(t('signed_by'), { size: SIZE.small, color: MUTED });
  w.lines(`${text.parties[1]!.name} · ${source.signerName}`, { bold: true });
  w.lines(t('pdf.signed_line', { date: pdfDateTime(locale, source.signedAt), ip: source.signerIp }), { gapAfter: 6 });
  w.lines(t('countersigned_by'), { size: SIZE.small, color: MUTED });
  if (source.countersignedAt) {
    w.lines(`${text.parties[0]!.name} · ${source.countersignerName ?? ''}`, { bold: true });
    w.lines(t('pdf.countersigned_line', { date: pdfDateTime(locale, source.countersignedAt) }));
    if (source.effectiveDate) w.lines(t('pdf.effective_line', { date: source.effectiveDate }));
  } else {
    w.lines(t('pdf.not_countersigned'), { color: MUTED });
  }

  // Footer on every page, once the page count is known.
  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const footer = t('pdf.footer', { number, page: i + 1, pages: pages.length });
    page.drawText(footer, { x: MARGIN.x, y: MARGIN.bottom / 2, size: SIZE.small, font: fonts.regular, color: MUTED });
  });
  return doc.save({ useObjectStreams: false });
}
