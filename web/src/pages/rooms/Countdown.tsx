/**
 * Time left in a measurement session (m:ss), ticking each second; says once when it reaches zero,
 * so the page can clear itself at the timeout without waiting for the next poll.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export function remainingText(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function Countdown({ endsAt, label, onExpired }: { endsAt: string; label: string; onExpired: () => void }) {
  const end = Date.parse(endsAt);
  const [now, setNow] = useState(Date.now());
  const expired = useRef(false);
  const fire = useRef(onExpired);
  fire.current = onExpired;
  useEffect(() => {
    expired.current = false;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [endsAt]);
  useEffect(() => {
    if (now >= end && !expired.current) {
      expired.current = true;
      fire.current();
    }
  }, [now, end]);
  return (
    <p class="countdown">
      <span>{label}: </span>
      <strong role="timer" data-testid="countdown">
        {remainingText(end - now)}
      </strong>
    </p>
  );
}
