/**
 * The live alert stream (GET /api/v1/live, Server-Sent Events, authenticated by the session
 * cookie). EventSource reconnects by itself; every (re)connection asks the caller to re-sync from
 * the alert list, because events sent while the page was away are not replayed.
 */
export interface LiveAlert {
  readonly id: string;
  readonly patientId?: string;
  readonly gatewayId?: string;
  readonly careTeamId: string;
  readonly rule: string;
  readonly severity: 'info' | 'low' | 'medium' | 'high' | 'urgent';
  readonly state: 'open' | 'acknowledged' | 'resolved';
  readonly summary: string;
  readonly revision: number;
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  readonly onAlert: (alert: LiveAlert) => void;
  /** After every successful (re)connection: fetch the list again. */
  readonly onConnected: () => void;
  readonly onStatus: (status: LiveStatus) => void;
  /** The stream was refused (session over?): the caller checks the session. */
  readonly onRefused: () => void;
}

export function connectLive(handlers: LiveHandlers, url = '/api/v1/live'): () => void {
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const open = () => {
    handlers.onStatus('connecting');
    source = new EventSource(url, { withCredentials: true });
    source.addEventListener('open', () => {
      handlers.onStatus('live');
      handlers.onConnected();
    });
    source.addEventListener('alert', (event) => {
      try {
        handlers.onAlert(JSON.parse((event as MessageEvent<string>).data) as LiveAlert);
      } catch {
        // A malformed event is skipped; the next re-sync corrects the list.
      }
    });
    source.addEventListener('error', () => {
      if (stopped || !source) return;
      handlers.onStatus('reconnecting');
      // CLOSED: the browser gave up (an HTTP error such as 401, or an `error` event ended the
      // stream); CONNECTING: it retries on its own after the server's `retry:`.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        handlers.onRefused();
        retry = setTimeout(open, 5000);
      }
    });
  };
  open();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    source?.close();
  };
}
