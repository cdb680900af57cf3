/** One series of a bar chart: a value (or none) per category, drawn in its own style. */
export interface BarSeries {
  name: string;
  values: (number | null)[];
  /** `bar` (the organisation's colour) or `bar--p90` (grey). */
  style: 'bar' | 'bar--p90';
}

const WIDTH = 720;
const HEIGHT = 240;
const LEFT = 48;
const RIGHT = 8;
const TOP = 20;
const BOTTOM = 36;

/** A round top for the axis: 1, 2, 5 × 10ⁿ at or above the largest value. */
export function axisMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= max)!;
}

function label(value: number, unit: string): string {
  return `${Math.round(value * 10) / 10}${unit}`;
}

/**
 * A bar chart drawn on the server as SVG: no script, no chart library. It is
 * an image (`role="img"`) named by its title and described by its
 * description; the figures themselves are in the table next to it, which is
 * the text alternative. Every bar carries its category and value as data
 * attributes and its figure as a tooltip.
 */
export function BarChart({ id, title, desc, categories, labels = categories, series, unit = '', max }: {
  id: string; title: string; desc: string; categories: string[]; labels?: string[]; series: BarSeries[]; unit?: string; max?: number;
}) {
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const top = max ?? axisMax(Math.max(0, ...values));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, categories.length);
  const barWidth = Math.max(2, (slot * 0.7) / series.length);
  const y = (v: number) => TOP + plotHeight - (v / top) * plotHeight;
  const ticks = Number.isInteger(top / 2) ? [0, top / 2, top] : [0, top];
  return (
    <svg class="chart" id={id} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-labelledby={`${id}-title ${id}-desc`} xmlns="http://www.w3.org/2000/svg">
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {ticks.map((tick) => (
        <g key={tick}>
          <line class="axis" x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} stroke-dasharray={tick ? '2 4' : undefined} />
          <text x={LEFT - 6} y={y(tick) + 4} text-anchor="end">{label(tick, unit)}</text>
        </g>
      ))}
      {categories.map((category, i) => {
        const x0 = LEFT + i * slot + (slot - barWidth * series.length) / 2;
        return (
          <g key={category} data-category={category}>
            {series.map((s, j) => {
              const v = s.values[i];
              if (v === null) return null;
              const x = x0 + j * barWidth;
              return (
                <rect class={s.style === 'bar' ? 'bar' : 'bar bar--p90'} data-series={s.name} data-category={category} data-value={String(v)}
                  x={x} y={y(v)} width={barWidth - 1} height={Math.max(0, TOP + plotHeight - y(v))}>
                  <title>{`${category}, ${s.name}: ${label(v, unit)}`}</title>
                </rect>
              );
            })}
            <text x={LEFT + i * slot + slot / 2} y={HEIGHT - BOTTOM + 16} text-anchor="middle">{labels[i]}</text>
          </g>
        );
      })}
    </svg>
  );
}
