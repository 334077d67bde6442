/**
 * The custom chart period: a date and a time for each end, typed as the page's language writes
 * them (the pattern is shown under each field) and read in the patient's zone. Replaces
 * datetime-local, whose format follows the browser's locale rather than the page's. A field that
 * does not parse is marked and named; nothing changes until all four do.
 */
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../context.js';
import { datePattern, formatDateEntry, parsePeriod, type EntryProblem } from '../../lib/date-entry.js';

type Fields = { fromDate: string; fromTime: string; toDate: string; toTime: string };

function fieldsOf(range: { from: number; to: number }, locale: string, timeZone: string): Fields {
  const from = formatDateEntry(range.from, locale, timeZone);
  const to = formatDateEntry(range.to, locale, timeZone);
  return { fromDate: from.date, fromTime: from.time, toDate: to.date, toTime: to.time };
}

export function CustomPeriod({ range, timeZone, chosen, onPeriod }: { range: { from: number; to: number }; timeZone: string; chosen: boolean; onPeriod: (from: number, to: number) => void }) {
  const { t, locale } = useApp();
  const [fields, setFields] = useState<Fields>(() => fieldsOf(range, locale, timeZone));
  const [problem, setProblem] = useState<EntryProblem | undefined>();
  // Another language or zone: the same period, rewritten in its format.
  useEffect(() => {
    setFields(fieldsOf(range, locale, timeZone));
    setProblem(undefined);
  }, [locale, timeZone]);

  const pattern = datePattern(locale, { day: t('summaries.entry.day'), month: t('summaries.entry.month'), year: t('summaries.entry.year') });
  const timePattern = t('summaries.entry.timePattern');
  const field = (name: keyof Fields, kind: 'date' | 'time') => {
    const id = `period-${name}`;
    return (
      <label key={name}>
        <span>{t(`summaries.entry.${name}`)}</span>
        <input
          id={id}
          type="text"
          inputMode="numeric"
          autocomplete="off"
          size={kind === 'date' ? 10 : 5}
          value={fields[name]}
          aria-invalid={problem === name || (problem === 'order' && (name === 'toDate' || name === 'toTime'))}
          aria-describedby={`${id}-hint`}
          data-testid={id}
          onInput={(e) => setFields({ ...fields, [name]: e.currentTarget.value })}
        />
        <span class="hint" id={`${id}-hint`}>
          {kind === 'date' ? pattern : timePattern}
        </span>
      </label>
    );
  };

  return (
    <form
      class="custom"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parsePeriod(fields, locale, timeZone);
        if (!parsed.ok) {
          setProblem(parsed.problem);
          return;
        }
        setProblem(undefined);
        onPeriod(parsed.from, parsed.to);
      }}
    >
      {field('fromDate', 'date')}
      {field('fromTime', 'time')}
      {field('toDate', 'date')}
      {field('toTime', 'time')}
      <button type="submit" class={chosen ? 'chosen' : 'secondary'} data-testid="period-apply">
        {t('patient.apply')}
      </button>
      {problem && (
        <p class="field-error" role="alert" data-testid="period-problem">
          {t(`summaries.entry.problem.${problem}`, { pattern, time: timePattern })}
        </p>
      )}
    </form>
  );
}
