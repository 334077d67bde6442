/**
 * A community room's kiosk (/app/kiosk/<kiosk link token>): residents check themselves in with the
 * code on their card, measure on the room's devices and see their own readings; nobody signs in.
 * Privacy on a shared screen: no list of residents (the code is what identifies), only the first
 * name, only this session's readings; at check-out, timeout or any refusal of the session the
 * state is dropped, so nothing of the resident is left in the DOM, and nothing enters the history
 * (no navigation happens) or a cache (no-store).
 */
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../../api/client.js';
import type { KioskCheckIn, KioskRoom, KioskSession } from '../../api/types.js';
import { LanguageSelect } from '../../components/LanguageSelect.js';
import { changeLanguage, i18next, LOCALES, storeLanguage, type Language } from '../../i18n/index.js';
import { Countdown } from '../rooms/Countdown.js';
import { SessionReadingsTable } from '../rooms/SessionReadingsTable.js';
import { kioskRequest } from './kiosk-api.js';

const POLL_MS = 3000;

interface Held {
  readonly token: string;
  readonly view: KioskSession;
}

type Notice = 'cleared' | 'timedOut' | 'ended' | undefined;

function refusalText(t: TFunction, err: unknown): string {
  if (!(err instanceof ApiProblem)) return t('error.generic', { status: '?' });
  const { status, code } = err.problem;
  if (status === 0) return t('error.network');
  if (code === 'RPM_ERR_ROOM_BUSY') return t('rooms.kiosk.busy');
  if (code === 'RPM_ERR_RATE_LIMITED') return t('rooms.kiosk.rateLimited');
  if (code === 'RPM_ERR_SESSION_CLOSED') return t('rooms.kiosk.ended');
  if (status === 400) return t('rooms.kiosk.badCode');
  if (status === 401 || status === 403) return t('rooms.kiosk.badLink');
  return t('error.unavailable');
}

export function KioskPage({ link }: { link: string }) {
  const [language, setLanguage] = useState<Language>(i18next.language as Language);
  const t = useMemo<TFunction>(() => i18next.getFixedT(language), [language]);
  const locale = LOCALES[language];
  const [room, setRoom] = useState<KioskRoom | undefined>();
  const [roomError, setRoomError] = useState<unknown>();
  const [held, setHeld] = useState<Held | undefined>();
  const [notice, setNotice] = useState<Notice>();
  const [error, setError] = useState<unknown>();
  const [code, setCode] = useState('');
  const heldRef = useRef(held);
  heldRef.current = held;

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    kioskRequest<KioskRoom>('GET', '/api/v1/kiosk', link).then(setRoom, setRoomError);
  }, [link]);

  /** Forget everything about the resident: the screen goes back to the welcome form. */
  const clear = (why: Notice) => {
    setHeld(undefined);
    setCode('');
    setError(undefined);
    setNotice(why);
  };

  useEffect(() => {
    if (!held) return;
    const timer = setInterval(() => {
      const current = heldRef.current;
      if (!current) return;
      kioskRequest<KioskSession>('GET', '/api/v1/kiosk/session', link, { session: current.token }).then(
        (view) => {
          if (heldRef.current?.token === current.token) setHeld({ token: current.token, view });
        },
        (err: unknown) => {
          // Ended (checked out elsewhere, timed out) or the kiosk was revoked: nothing more is shown.
          if (!(err instanceof ApiProblem) || err.status === 0 || err.status >= 500) return;
          const timedOut = Date.parse(current.view.endsAt) <= Date.now();
          clear(err.problem.code === 'RPM_ERR_SESSION_CLOSED' ? (timedOut ? 'timedOut' : 'ended') : undefined);
        },
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [held?.token]);

  const checkIn = async () => {
    setError(undefined);
    setNotice(undefined);
    try {
      const { sessionToken, ...view } = await kioskRequest<KioskCheckIn>('POST', '/api/v1/kiosk/sessions', link, { body: { code } });
      setCode('');
      setHeld({ token: sessionToken, view });
    } catch (err) {
      setCode('');
      setError(err);
    }
  };

  const done = async () => {
    const current = held;
    clear('cleared');
    if (current) await kioskRequest('POST', '/api/v1/kiosk/session/close', link, { session: current.token }).catch(() => undefined);
  };

  const header = (
    <header class="top kiosk-top">
      <span class="brand">{room?.room ?? t('app.name')}</span>
      <LanguageSelect
        t={t}
        language={language}
        onLanguage={(l) =>
          void changeLanguage(l).then(() => {
            storeLanguage(l);
            setLanguage(l);
          })
        }
      />
    </header>
  );

  if (roomError !== undefined || (!room && error !== undefined)) {
    return (
      <>
        {header}
        <main id="content" class="kiosk">
          <div class="problem" role="alert">
            <p>{refusalText(t, roomError)}</p>
          </div>
        </main>
      </>
    );
  }
  if (!room) return <p class="loading">{t('app.loading')}</p>;

  return (
    <>
      {header}
      <main id="content" class="kiosk" data-testid="kiosk">
        {held ? (
          <section aria-labelledby="kiosk-hello" data-testid="kiosk-session">
            <h1 id="kiosk-hello">{t('rooms.kiosk.hello', { name: held.view.firstName })}</h1>
            <p class="intro">{t('rooms.kiosk.measure')}</p>
            <Countdown endsAt={held.view.endsAt} label={t('rooms.remaining')} onExpired={() => clear('timedOut')} />
            <h2>{t('rooms.kiosk.yourReadings')}</h2>
            {held.view.readings.length === 0 ? (
              <p class="sub">{t('rooms.noReadings')}</p>
            ) : (
              <SessionReadingsTable t={t} locale={locale} readings={held.view.readings} caption={t('rooms.kiosk.yourReadings')} />
            )}
            {/* Questionnaire hook (issue #12): the hub offers an answer page (/app/q/<token>) when one is due. */}
            {held.view.questionnaireUrl && (
              <p>
                <a class="button secondary" href={held.view.questionnaireUrl} data-testid="kiosk-questionnaire">
                  {t('rooms.kiosk.questionnaire')}
                </a>
              </p>
            )}
            <p>
              <button type="button" class="big" onClick={() => void done()}>
                {t('rooms.kiosk.done')}
              </button>
            </p>
          </section>
        ) : (
          <section aria-labelledby="kiosk-title">
            <h1 id="kiosk-title">{t('rooms.kiosk.title', { room: room.room })}</h1>
            {notice && (
              <p role="status" data-testid="kiosk-notice">
                {t(`rooms.kiosk.${notice}`)}
              </p>
            )}
            <p class="intro">{t('rooms.kiosk.intro')}</p>
            <form
              data-testid="kiosk-checkin"
              onSubmit={(e) => {
                e.preventDefault();
                void checkIn();
              }}
            >
              <label>
                <span>{t('rooms.kiosk.code')}</span>
                <input class="code" type="text" value={code} required maxLength={20} autoComplete="off" autoCapitalize="characters" spellcheck={false} onInput={(e) => setCode(e.currentTarget.value)} />
              </label>{' '}
              <button type="submit" class="big">
                {t('rooms.kiosk.start')}
              </button>
            </form>
            {error !== undefined && (
              <div class="problem" role="alert">
                <p>{refusalText(t, error)}</p>
              </div>
            )}
          </section>
        )}
      </main>
    </>
  );
}
