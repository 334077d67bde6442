/**
 * Simple horizontal bars in SVG for categorical figures (hours of day, outcomes): sizes are SVG
 * attributes, so the strict CSP (no inline style) holds. The drawing is hidden from assistive
 * technology; the same figures are in a table beside it, which is the text alternative.
 */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** The value as shown (locale-formatted, with its unit). */
  readonly text: string;
  /** Further columns of the table (e.g. how many alerts the value is over). */
  readonly extra?: readonly string[];
}

const ROW = 22;
const LABEL_W = 190;
const BAR_W = 360;

export function BarChart({ id, title, bars, columns, tableLabel }: { id: string; title: string; bars: readonly Bar[]; columns: readonly string[]; tableLabel: string }) {
  const max = Math.max(0, ...bars.map((b) => b.value));
  const height = bars.length * ROW + 4;
  return (
    <figure class="bars" aria-labelledby={`${id}-title`} data-testid={id}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${LABEL_W + BAR_W + 120} ${height}`} width="100%" height={height} aria-hidden="true" focusable="false">
        {bars.map((b, i) => {
          const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, (b.value / max) * BAR_W) : 0;
          const y = i * ROW + 2;
          return (
            <g key={b.label}>
              <text x={LABEL_W - 8} y={y + 15} text-anchor="end" class="bar-label">
                {b.label}
              </text>
              <rect x={LABEL_W} y={y + 3} width={w} height={ROW - 6} class="bar" />
              <text x={LABEL_W + w + 6} y={y + 15} class="bar-value">
                {b.text}
              </text>
            </g>
          );
        })}
      </svg>
      <details>
        <summary>{tableLabel}</summary>
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.label}>
                <th scope="row">{b.label}</th>
                <td>{b.text}</td>
                {(b.extra ?? []).map((x, i) => (
                  <td key={i}>{x}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
