/**
 * New alerts told twice: a visible banner and a live region for screen readers (assertive for
 * urgent and high, polite otherwise). The regions exist from the start, as screen readers only
 * announce changes to regions already in the page.
 */
import { useEffect, useState } from 'preact/hooks';
export interface Announcement {
  readonly message: string;
  readonly urgent: boolean;
  readonly at: number;
}

/** The banner stays long enough to read across a room, then gets out of the way; Escape or a click closes it. */
const VISIBLE_MS = 12_000;

export function Announcer({ announcement }: { announcement: Announcement | undefined }) {
  const [hidden, setHidden] = useState<number | undefined>();
  useEffect(() => {
    if (!announcement) return;
    const timer = setTimeout(() => setHidden(announcement.at), VISIBLE_MS);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setHidden(announcement.at);
    window.addEventListener('keydown', onKey);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKey);
    };
  }, [announcement?.at]);
  const urgent = announcement?.urgent ? announcement.message : '';
  const polite = announcement && !announcement.urgent ? announcement.message : '';
  return (
    <>
      <div class="sr-only" role="alert" aria-live="assertive" data-testid="announce-assertive">
        {urgent}
      </div>
      <div class="sr-only" role="status" aria-live="polite" data-testid="announce-polite">
        {polite}
      </div>
      {announcement && hidden !== announcement.at && (
        <div class={`toast ${announcement.urgent ? 'toast-urgent' : ''}`} aria-hidden="true" key={announcement.at} onClick={() => setHidden(announcement.at)}>
          {announcement.message}
        </div>
      )}
    </>
  );
}
