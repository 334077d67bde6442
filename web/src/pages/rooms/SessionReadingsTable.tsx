/** The readings of one session, oldest first, as the staff page and the kiosk both show them (vitalText reads names and values only; codes are not sent to the kiosk). */
import type { TFunction } from 'i18next';
import type { VitalKind } from '../../api/types.js';
import { vitalText } from '../../components/VitalValue.js';
import { formatDateTime } from '../../lib/format.js';

export interface SessionReadingRow {
  readonly kind: VitalKind;
  readonly measuredAt: string;
  readonly components: readonly { readonly name: string; readonly value: number; readonly unit: string }[];
}

/** `timeZone`: the resident's (staff page); the kiosk shows the room's own clock (the browser's). */
export function SessionReadingsTable({ t, locale, readings, caption, timeZone }: { t: TFunction; locale: string; readings: readonly SessionReadingRow[]; caption: string; timeZone?: string | undefined }) {
  return (
    <table data-testid="session-readings">
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('rooms.measuredAt')}</th>
          <th scope="col">{t('rooms.vital')}</th>
          <th scope="col">{t('rooms.value')}</th>
        </tr>
      </thead>
      <tbody>
        {readings.map((r) => (
          <tr key={`${r.kind}-${r.measuredAt}`} data-kind={r.kind}>
            <td>{formatDateTime(r.measuredAt, locale, timeZone)}</td>
            <td>{t(`vital.${r.kind}`)}</td>
            <td>{vitalText({ kind: r.kind, components: r.components.map((c) => ({ ...c, code: '' })) }, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
