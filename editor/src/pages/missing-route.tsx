import type { ApiError } from '../api/client.ts';
import { useT } from '../i18n/i18n.tsx';

/** A route this installation does not have yet (404 from the engine) is said plainly, not as a failure. */
export function LoadProblem({ error, what }: { error: ApiError | null; what: string }) {
  const t = useT();
  if (!error) return null;
  if (error.status === 404 && error.code === 'not_found' && /no route/.test(error.message)) {
    return (
      <p className="banner info" data-testid="not-available">
        {t('missing.route', { what })}
      </p>
    );
  }
  return (
    <p className="banner bad" role="alert">
      {error.message}
    </p>
  );
}
