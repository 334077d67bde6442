/**
 * Sign-in: with the organisation's identity provider (OIDC authorization code + PKCE) where the
 * hub has one configured, else with an access token. Either way the hub turns it into an HttpOnly
 * session cookie; this page never stores a token.
 */
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import { ProblemMessage } from '../components/ProblemMessage.js';
import type { Language } from '../i18n/index.js';
import { LanguageSelect } from '../components/LanguageSelect.js';
import { completeOidcSignIn, hasOidcCallback, OidcSignInError, startOidcSignIn } from '../lib/oidc-flow.js';
import { sessionConfig, signIn, type Session, type SessionConfig } from '../lib/session.js';

interface Props {
  readonly t: TFunction;
  readonly language: Language;
  readonly onLanguage: (language: Language) => void;
  readonly reason: 'expired' | 'signed-out' | undefined;
  readonly onSignedIn: (session: Session) => void;
}

export function SignInPage({ t, language, onLanguage, reason, onSignedIn }: Props) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [config, setConfig] = useState<SessionConfig | undefined>();

  useEffect(() => {
    sessionConfig().then(setConfig, () => undefined);
  }, []);

  useEffect(() => {
    if (!config?.oidc || !hasOidcCallback()) return;
    setBusy(true);
    completeOidcSignIn(config.oidc)
      .then((jwt) => signIn(jwt))
      .then(onSignedIn, (err: unknown) => {
        setError(err);
        setBusy(false);
      });
  }, [config]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(token.trim()));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <main id="content" class="signin">
      <h1>{t('signin.title')}</h1>
      <LanguageSelect t={t} language={language} onLanguage={onLanguage} />
      {reason === 'expired' && (
        <p class="notice" role="status">
          {t('signin.expired')}
        </p>
      )}
      {reason === 'signed-out' && (
        <p class="notice" role="status">
          {t('signin.signedOut')}
        </p>
      )}
      <p>{t('signin.intro')}</p>
      {config?.oidc && (
        <p>
          <button type="button" disabled={busy} onClick={() => void startOidcSignIn(config.oidc!).catch(setError)}>
            {t('signin.oidc')}
          </button>
        </p>
      )}
      <form onSubmit={(e) => void submit(e)}>
        <label for="token">{t('signin.token')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          minLength={16}
          value={token}
          aria-describedby="token-help"
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        <p id="token-help" class="help">
          {t('signin.tokenHelp')}
        </p>
        <button type="submit" disabled={busy}>
          {busy ? t('signin.working') : t('signin.submit')}
        </button>
      </form>
      {error instanceof OidcSignInError ? (
        // The round trip's own failures (not an API problem): say which, in the user's language.
        <div class="problem" role="alert">
          <p>{t(`oidcSignIn.${error.reason}`)}</p>
        </div>
      ) : (
        error !== undefined && <ProblemMessage t={t} error={error} />
      )}
    </main>
  );
}
