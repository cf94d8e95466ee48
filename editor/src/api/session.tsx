import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, onSessionEnded, setCsrfToken, unwrap } from './client.ts';

export type Role = 'admin' | 'operator' | 'viewer' | 'staff' | 'ingest';

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

type Status =
  | { kind: 'loading' }
  | { kind: 'signed-out'; needsSetup: boolean }
  | { kind: 'signed-in'; user: SessionUser };

interface Session {
  status: Status;
  signedIn: (user: SessionUser, csrfToken: string) => void;
  signOut: () => Promise<void>;
  /** May the signed-in person change and publish journeys (admin, operator)? */
  canEdit: boolean;
}

const Context = createContext<Session | null>(null);

/** Who is signed in; asks the engine once, and again whenever a call comes back 401. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>({ kind: 'loading' });

  const check = useCallback(async () => {
    const res = await api.session.$get().catch(() => null);
    if (res?.ok) {
      const body = await res.json();
      if (body.user && body.csrfToken) {
        setCsrfToken(body.csrfToken);
        setStatus({ kind: 'signed-in', user: { ...body.user, role: body.role } });
        return;
      }
    }
    const setup = await unwrap(api.setup.$get()).catch(() => ({ needsSetup: false }));
    setCsrfToken(null);
    setStatus({ kind: 'signed-out', needsSetup: setup.needsSetup });
  }, []);

  useEffect(() => {
    onSessionEnded(() => void check());
    void check();
  }, [check]);

  const signedIn = useCallback((user: SessionUser, csrfToken: string) => {
    setCsrfToken(csrfToken);
    setStatus({ kind: 'signed-in', user });
  }, []);

  const signOut = useCallback(async () => {
    await api.session.$delete().catch(() => null);
    setCsrfToken(null);
    setStatus({ kind: 'signed-out', needsSetup: false });
  }, []);

  const canEdit =
    status.kind === 'signed-in' && (status.user.role === 'admin' || status.user.role === 'operator');
  const value = useMemo(() => ({ status, signedIn, signOut, canEdit }), [status, signedIn, signOut, canEdit]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): Session {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
