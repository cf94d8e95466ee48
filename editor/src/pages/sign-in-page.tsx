import { type FormEvent, useState } from 'react';
import { api, jsonBody, unwrap } from '../api/client.ts';
import { type Role, useSession } from '../api/session.tsx';
import { LANGS, type Lang, useI18n } from '../i18n/i18n.tsx';

/** Sign-in with email and password; on the very first start, creating the first admin instead. */
export function SignInPage({ needsSetup }: { needsSetup: boolean }) {
  const { t, lang, setLang } = useI18n();
  const { signedIn } = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = needsSetup
        ? await unwrap(api.setup.$post({}, jsonBody({ email, name, password })))
        : await unwrap(api.session.$post({}, jsonBody({ email, password })));
      signedIn({ ...r.user, role: r.user.role as Role }, r.csrfToken);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{needsSetup ? t('signIn.setupTitle') : t('signIn.title')}</h1>
        {needsSetup && <p>{t('signIn.setupIntro')}</p>}
        <label>
          {t('signIn.email')}
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        {needsSetup && (
          <label>
            {t('signIn.name')}
            <input autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        )}
        <label>
          {t('signIn.password')}
          <input
            type="password"
            autoComplete={needsSetup ? 'new-password' : 'current-password'}
            required
            minLength={needsSetup ? 10 : 1}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {needsSetup && <p className="hint">{t('signIn.passwordHint')}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {needsSetup ? t('signIn.createAdmin') : t('signIn.submit')}
        </button>
        <label className="lang">
          {t('nav.language')}
          <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            {LANGS.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
      </form>
    </main>
  );
}
