import { round, summarize, type Summary } from './stats';

export type Unit = 'ms' | '×' | 'kB' | 'MB';

export interface Target {
  /** `max`: the figure must stay at or below `value`; `min`: at or above. */
  kind: 'max' | 'min';
  value: number;
}

/** One line of the table and one entry of the JSON file. */
export interface Figure {
  id: string;
  section: string;
  label: string;
  unit: Unit;
  summary: Summary;
  target: Target | null;
  /** Compared on the median; null without a target. */
  met: boolean | null;
  /** What the figure is and is not, when the label cannot say it. */
  note?: string;
}

export function figure(
  section: string,
  id: string,
  label: string,
  unit: Unit,
  values: readonly number[],
  target: Target | null = null,
  note?: string,
): Figure {
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) throw new Error(`figure ${id}: no or non-finite samples (${values.join(', ')})`);
  const summary = summarize(values);
  const met = target === null ? null : target.kind === 'max' ? summary.median <= target.value : summary.median >= target.value;
  return { id, section, label, unit, summary, target, met, ...(note === undefined ? {} : { note }) };
}

/** The JSON form: rounded numbers, the target spelled out. */
export function figureJson(f: Figure): Record<string, unknown> {
  const r = (v: number) => round(v, f.unit === '×' ? 3 : 2);
  return {
    id: f.id,
    section: f.section,
    label: f.label,
    unit: f.unit,
    n: f.summary.n,
    median: r(f.summary.median),
    min: r(f.summary.min),
    max: r(f.summary.max),
    p25: r(f.summary.p25),
    p75: r(f.summary.p75),
    values: f.summary.values.map(r),
    target: f.target && { [f.target.kind === 'max' ? 'atMost' : 'atLeast']: f.target.value },
    met: f.met,
    ...(f.note === undefined ? {} : { note: f.note }),
  };
}
