/**
 * New alerts told twice: a visible banner and a live region for screen readers (assertive for
 * urgent and high, polite otherwise). The regions exist from the start, as screen readers only
 * announce changes to regions already in the page.
 */
export interface Announcement {
  readonly message: string;
  readonly urgent: boolean;
  readonly at: number;
}

export function Announcer({ announcement }: { announcement: Announcement | undefined }) {
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
      {announcement && (
        <div class={`toast ${announcement.urgent ? 'toast-urgent' : ''}`} aria-hidden="true" key={announcement.at}>
          {announcement.message}
        </div>
      )}
    </>
  );
}
