// Rule: a chart is an accessible picture drawn on the server: an <svg role="img"> named by its <title>
// and described by its <desc> (which states the figures in words), every text escaped, no script and no
// style attribute (the CSP forbids inline styles; colours are presentation attributes). The same numbers
// are always printed in a table under the chart, so the chart itself never has to be read.
// Pure functions: numbers and already translated words in, an SVG string out.

export interface Bar {
  label: string;
  value: number /** Printed at the end of the bar (default: the value). */;
  valueText?: string;
}
export interface ChartText {
  id: string;
  title: string;
  desc: string;
}

const INK = '#0b0c0c';
const MUTED = '#505a5f';
const BRAND = '#1d4f91';
const GREY = '#b1b4b6';
const FONT = 'font-family="system-ui, sans-serif"';

export function escapeXml(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A safe id: letters, digits, hyphens. */
function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9-]/g, '-');
}

function open(text: ChartText, width: number, height: number): string {
  const id = safeId(text.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
    `<title id="${id}-title">${escapeXml(text.title)}</title><desc id="${id}-desc">${escapeXml(text.desc)}</desc>`
  );
}

/** A round upper bound for an axis: 1, 2 or 5 × a power of ten, at least `max` (and at least 1). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

function fmt(n: number): string {
  return new Intl.NumberFormat('ko-KR').format(n);
}

/**
 * Vertical bars, one per category (calls a day): a value axis with three gridlines, the category labels
 * under the bars (thinned out so they never overlap: every k-th label when there are many bars).
 */
export function columnChart(text: ChartText, bars: readonly Bar[]): string {
  const width = 720;
  const height = 260;
  const left = 56;
  const right = 12;
  const top = 16;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const slot = bars.length ? plotW / bars.length : plotW;
  const barW = Math.max(1, slot * 0.7);
  const every = Math.max(1, Math.ceil(bars.length / 10));
  let out = open(text, width, height);
  out += `<g ${FONT} font-size="12" fill="${MUTED}">`;
  for (const f of [0, 0.5, 1]) {
    const y = top + plotH - f * plotH;
    out += `<line x1="${left}" x2="${width - right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${GREY}" stroke-width="1"/>`;
    out += `<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escapeXml(fmt(Math.round(max * f)))}</text>`;
  }
  out += '</g><g>';
  bars.forEach((b, i) => {
    const h = max ? (b.value / max) * plotH : 0;
    const x = left + i * slot + (slot - barW) / 2;
    out += `<rect x="${x.toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${BRAND}"/>`;
  });
  out += `</g><g ${FONT} font-size="12" fill="${INK}">`;
  bars.forEach((b, i) => {
    if (i % every !== 0 && i !== bars.length - 1) return;
    if (i !== bars.length - 1 && bars.length - 1 - i < every && i % every === 0 && i !== 0) return; // leave room for the last label
    const x = left + i * slot + slot / 2;
    out += `<text x="${x.toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle">${escapeXml(b.label)}</text>`;
  });
  out += '</g></svg>';
  return out;
}

/** Horizontal bars, one row per category (calls by API): the label on the left, the value after the bar. */
export function barChart(text: ChartText, bars: readonly Bar[]): string {
  const width = 720;
  const row = 28;
  const top = 8;
  const labelW = 230;
  const valueW = 90;
  const height = top * 2 + Math.max(1, bars.length) * row;
  const plotW = width - labelW - valueW;
  const max = Math.max(0, ...bars.map((b) => b.value));
  let out = open(text, width, height);
  out += `<g ${FONT} font-size="13" fill="${INK}">`;
  bars.forEach((b, i) => {
    const y = top + i * row;
    const w = max ? (b.value / max) * plotW : 0;
    out += `<text x="${labelW - 8}" y="${y + row / 2 + 4}" text-anchor="end">${escapeXml(b.label)}</text>`;
    out += `<rect x="${labelW}" y="${y + 5}" width="${w.toFixed(1)}" height="${row - 10}" fill="${BRAND}"/>`;
    out += `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + row / 2 + 4}">${escapeXml(b.valueText ?? fmt(b.value))}</text>`;
  });
  out += '</g></svg>';
  return out;
}

export interface PairedBar {
  label: string;
  first: number;
  second: number;
}

/**
 * Two bars per category on one 0–100 % scale (the organization's mix beside the national mix), with a
 * legend naming the two series; every bar carries its percentage as text.
 */
export function pairedPercentChart(
  text: ChartText,
  series: { first: string; second: string },
  rows: readonly PairedBar[],
): string {
  const width = 720;
  const legendH = 30;
  const group = 52;
  const labelW = 150;
  const valueW = 70;
  const height = legendH + Math.max(1, rows.length) * group + 8;
  const plotW = width - labelW - valueW;
  const pct = (n: number) => `${(Math.round(n * 10) / 10).toFixed(1)}%`;
  let out = open(text, width, height);
  out += `<g ${FONT} font-size="13" fill="${INK}">`;
  out += `<rect x="${labelW}" y="8" width="14" height="14" fill="${BRAND}"/><text x="${labelW + 20}" y="20">${escapeXml(series.first)}</text>`;
  out += `<rect x="${labelW + 260}" y="8" width="14" height="14" fill="${MUTED}"/><text x="${labelW + 280}" y="20">${escapeXml(series.second)}</text>`;
  rows.forEach((r, i) => {
    const y = legendH + i * group;
    const w1 = (Math.max(0, Math.min(100, r.first)) / 100) * plotW;
    const w2 = (Math.max(0, Math.min(100, r.second)) / 100) * plotW;
    out += `<text x="${labelW - 8}" y="${y + group / 2 + 2}" text-anchor="end">${escapeXml(r.label)}</text>`;
    out += `<rect x="${labelW}" y="${y + 4}" width="${w1.toFixed(1)}" height="18" fill="${BRAND}"/>`;
    out += `<text x="${(labelW + w1 + 6).toFixed(1)}" y="${y + 18}">${escapeXml(pct(r.first))}</text>`;
    out += `<rect x="${labelW}" y="${y + 25}" width="${w2.toFixed(1)}" height="18" fill="${MUTED}"/>`;
    out += `<text x="${(labelW + w2 + 6).toFixed(1)}" y="${y + 39}">${escapeXml(pct(r.second))}</text>`;
  });
  out += '</g></svg>';
  return out;
}
