/**
 * A time-series chart on uPlot (canvas; fast with thousands of points): one or two lines, the
 * patient's alert bands shaded, passive intervals hatched, times on the axis in the patient's zone,
 * and a readout under the chart for the point under the cursor (value, time, flags) that keyboard
 * and screen-reader users get from the readings table instead.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDate } from '../lib/format.js';

const DAY_S = 86_400;

/** x labels: dates for periods over two days, else hours (with the date where a day starts). */
function timeLabels(locale: string, timeZone: string) {
  const hour = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  return (_u: uPlot, splits: number[]) => {
    const span = (splits.at(-1) ?? 0) - (splits[0] ?? 0);
    const days = splits.map((s) => formatDate(s * 1000, locale, timeZone));
    // Long periods: a date per tick. Shorter ones: the hour, and the date at the first tick of a
    // day (a custom 2½ days no longer reads "1 Dec, 1 Dec, 2 Dec, 2 Dec").
    if (span > 8 * DAY_S) return days;
    return splits.map((s, i) => (span > 2 * DAY_S && (i === 0 || days[i] !== days[i - 1]) ? days[i]! : hour.format(s * 1000)));
  };
}

/**
 * y from the data, widened to show the nearest alert limit on each side when it is close, so a
 * single reading or a flat week does not fill the chart with a band nobody can read.
 */
function yRange(values: readonly (readonly (number | null)[])[], bands: readonly ChartBand[]): [number, number] {
  const data = values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  if (data.length === 0) return [0, 1];
  let min = Math.min(...data);
  let max = Math.max(...data);
  const span = Math.max(max - min, Math.abs(max) * 0.05, 1);
  for (const b of bands) {
    // The limit on either side of the data: also a low limit above readings that are under it
    // (SpO2 78 % against "≤ 87 %"), so the evidence chart shows how far past the limit they are.
    const limit = b.limit ?? (Number.isFinite(b.from) ? b.from : b.to);
    if (!Number.isFinite(limit)) continue;
    if (limit > max && limit - max < span * 3) max = limit;
    if (limit < min && min - limit < span * 3) min = limit;
  }
  const pad = Math.max((max - min) * 0.15, span * 0.5);
  return [min - pad, max + pad];
}

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

export interface ChartBand {
  /** Shade y from `from` to `to` (either may be ±Infinity). */
  readonly from: number;
  readonly to: number;
  /** The series (line) whose limit this is; 0 when the chart has one line. */
  readonly series?: number;
  readonly component?: string;
  readonly op?: '>=' | '>' | '<=' | '<';
  /** The limit itself, drawn as a line labelled `label`. */
  readonly limit?: number;
  /** Written beside the limit line, e.g. "Systolic ≥ 180". */
  readonly label?: string;
}

export interface ChartProps {
  /** Seconds since the epoch, ascending. */
  readonly xs: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly bands: readonly ChartBand[];
  readonly passive: readonly { readonly from: number; readonly to: number }[];
  readonly timeZone: string;
  readonly label: string;
  readonly height?: number;
  /** Text for the point at index i (value, time, flags), shown under the chart on hover. */
  readonly describe: (index: number) => string;
  readonly range?: { readonly from: number; readonly to: number };
  /** Axis labels in the user's language (dates as people there write them). */
  readonly locale: string;
  readonly testId?: string;
  /** The limits in words under the chart (they are drawn on the canvas too), e.g. "Alert limits: Systolic ≥ 180, ≤ 90". */
  readonly limitsText?: string;
}

const COLOURS = ['#1f4e9c', '#b3400a'];
const DASHES = [[], [6, 3]];
/**
 * Each series' limits in its own colour and pattern, unlike its data line: the first series' limit
 * lines are long dashes with a plain shade, the second's dots with a hatched shade, and every line
 * carries its label — told apart without colour (WCAG 1.4.1).
 */
const LIMIT_DASHES = [[10, 4], [2, 3]];
const SHADES = ['rgba(200, 40, 40, 0.10)', 'rgba(179, 64, 10, 0.30)'];

/** A diagonal hatch for the second series' bands (the first is a plain shade). */
function hatch(ctx: CanvasRenderingContext2D, colour: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = tile.height = Math.round(8 * uPlot.pxRatio);
  const t = tile.getContext('2d');
  if (!t) return colour;
  t.strokeStyle = colour;
  t.lineWidth = uPlot.pxRatio;
  t.beginPath();
  t.moveTo(0, tile.height);
  t.lineTo(tile.width, 0);
  t.stroke();
  return ctx.createPattern(tile, 'repeat') ?? colour;
}

/** Limit lines with their labels, over the data (the draw hook runs after the series). */
function drawLimits(u: uPlot, bands: readonly ChartBand[]): void {
  const { ctx, bbox } = u;
  const px = uPlot.pxRatio;
  ctx.save();
  ctx.font = `${Math.round(11 * px)}px 'DejaVu Sans', sans-serif`;
  ctx.textAlign = 'right';
  for (const band of bands) {
    if (band.limit === undefined) continue;
    const y = u.valToPos(band.limit, 'y', true);
    if (y < bbox.top || y > bbox.top + bbox.height) continue;
    const i = band.series ?? 0;
    ctx.strokeStyle = COLOURS[i % COLOURS.length]!;
    ctx.lineWidth = px;
    ctx.setLineDash((LIMIT_DASHES[i % LIMIT_DASHES.length] ?? []).map((d) => d * px));
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    if (!band.label) continue;
    // Above a high limit's line, below a low one's: inside its own band, clear of the other series'.
    const high = band.op === '>=' || band.op === '>';
    const x = bbox.left + bbox.width - 4 * px;
    const ty = high ? y - 4 * px : y + 13 * px;
    const w = ctx.measureText(band.label).width;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillRect(x - w - 3 * px, ty - 11 * px, w + 6 * px, 14 * px);
    ctx.fillStyle = COLOURS[i % COLOURS.length]!;
    ctx.fillText(band.label, x, ty);
  }
  ctx.restore();
}

export function TimeChart(props: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot>();
  const [readout, setReadout] = useState('');
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(280, el.clientWidth || 600);
    const shade: uPlot.Plugin = {
      hooks: {
        drawClear: (u) => {
          const { ctx, bbox } = u;
          ctx.save();
          const fills = SHADES.map((c, i) => (i === 0 ? c : hatch(ctx, c)));
          // With two lines, one series' band covers the other's normal range (diastolic's "≥ 100"
          // is where systolic lives): shade only a strip on the alerting side of each limit line.
          const strip = latest.current.series.length > 1 ? 10 * uPlot.pxRatio : Number.POSITIVE_INFINITY;
          for (const band of latest.current.bands) {
            ctx.fillStyle = fills[(band.series ?? 0) % fills.length]!;
            let top = Number.isFinite(band.to) ? u.valToPos(band.to, 'y', true) : bbox.top;
            let bottom = Number.isFinite(band.from) ? u.valToPos(band.from, 'y', true) : bbox.top + bbox.height;
            if (!Number.isFinite(band.to)) top = Math.max(top, bottom - strip);
            if (!Number.isFinite(band.from)) bottom = Math.min(bottom, top + strip);
            const y0 = Math.max(bbox.top, Math.min(top, bottom));
            const y1 = Math.min(bbox.top + bbox.height, Math.max(top, bottom));
            if (y1 > y0) ctx.fillRect(bbox.left, y0, bbox.width, y1 - y0);
          }
          ctx.fillStyle = 'rgba(90, 90, 90, 0.14)';
          for (const p of latest.current.passive) {
            const x0 = Math.max(bbox.left, u.valToPos(p.from, 'x', true));
            const x1 = Math.min(bbox.left + bbox.width, u.valToPos(p.to, 'x', true));
            if (x1 > x0) ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
          }
          ctx.restore();
        },
        draw: (u) => drawLimits(u, latest.current.bands),
        setCursor: (u) => {
          const i = u.cursor.idx;
          setReadout(i === null || i === undefined ? '' : latest.current.describe(i));
        },
      },
    };
    const opts: uPlot.Options = {
      width,
      height: props.height ?? 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), latest.current.timeZone),
      legend: { show: false },
      cursor: { points: { size: 8 } },
      scales: {
        x: { time: true, ...(props.range && { range: (): uPlot.Range.MinMax => [props.range!.from, props.range!.to] }) },
        y: { range: (): uPlot.Range.MinMax => yRange(latest.current.series.map((s) => s.values), latest.current.bands) },
      },
      axes: [
        { stroke: '#333', grid: { stroke: '#e3e3e3' }, values: timeLabels(props.locale, props.timeZone) },
        { stroke: '#333', grid: { stroke: '#e3e3e3' }, size: 50 },
      ],
      series: [
        {},
        ...props.series.map((s, i) => ({
          label: s.label,
          stroke: COLOURS[i % COLOURS.length],
          width: 2,
          dash: DASHES[i % DASHES.length],
          spanGaps: true,
          points: { show: true, size: 5, fill: COLOURS[i % COLOURS.length] },
        })),
      ],
      plugins: [shade],
    };
    const data = [props.xs as number[], ...props.series.map((s) => s.values as (number | null)[])] as uPlot.AlignedData;
    plot.current = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: props.height ?? 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, [props.xs, props.series, props.bands, props.passive, props.timeZone, props.locale, props.range?.from, props.range?.to]);

  return (
    <figure class="chart" data-testid={props.testId} data-points={props.xs.length}>
      <div ref={host} role="img" aria-label={props.label} />
      <figcaption>
        <span class="legend">
          {props.series.map((s, i) => (
            <span key={s.label} class={`key key-${i}`}>
              {s.label}
            </span>
          ))}
        </span>
        <span class="readout">{readout}</span>
        {props.limitsText && <span class="limits">{props.limitsText}</span>}
      </figcaption>
    </figure>
  );
}
