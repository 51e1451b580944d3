import type { Figure } from './figures';

function digits(value: number, unit: Figure['unit']): number {
  const magnitude = Math.abs(value);
  if (unit === '×') return magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  if (unit === 'ms') return magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return 1;
}

/** Median, min and max of one figure print with the same number of decimals (the median's). */
function number(value: number, unit: Figure['unit'], like = value): string {
  return value.toFixed(digits(like, unit));
}

function withUnit(value: number, unit: Figure['unit']): string {
  return unit === '×' ? `${number(value, unit)}×` : `${number(value, unit)} ${unit}`;
}

function spread(f: Figure): string {
  const { n, min, max } = f.summary;
  if (n === 1) return '(1 sample)';
  return `${number(min, f.unit, f.summary.median)}–${number(max, f.unit, f.summary.median)}`;
}

function target(f: Figure): string {
  if (!f.target) return '';
  return `${f.target.kind === 'max' ? '≤' : '≥'} ${withUnit(f.target.value, f.unit)}`;
}

function met(f: Figure): string {
  return f.met === null ? '' : f.met ? 'yes' : 'NO';
}

/** A plain-text table (fixed-width columns), one block per section. */
export function renderTable(figures: readonly Figure[]): string {
  const header = ['Figure', 'Median', 'Spread (min–max)', 'n', 'Target', 'Met'];
  const rows: (string[] | string)[] = [];
  let section = '';
  for (const f of figures) {
    if (f.section !== section) {
      section = f.section;
      rows.push(section);
    }
    rows.push([`  ${f.label}`, withUnit(f.summary.median, f.unit), spread(f), String(f.summary.n), target(f), met(f)]);
  }
  const cells = rows.filter((r): r is string[] => Array.isArray(r));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : i === 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map((r) => (Array.isArray(r) ? line(r) : r))].join('\n');
}
