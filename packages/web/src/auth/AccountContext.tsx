/**
 * Who is signed in. Loaded once from GET /api/account; cleared when any API call answers 401,
 * which sends the person back to the login page (RequireAccount keeps the return path).
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Account, api, call, resetCsrf, setUnauthenticatedHandler } from '../api/client';

type Status = 'loading' | 'signedIn' | 'signedOut';

interface AccountState {
  status: Status;
  account: Account | null;
  signedIn(account: Account): void;
  signOut(): Promise<void>;
}

const AccountContext = createContext<AccountState | null>(null);

export function AccountProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [status, setStatus] = useState<Status>('loading');

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setAccount(null);
      setStatus('signedOut');
    });
    call(api.GET('/api/account'))
      .then((loaded) => {
        setAccount(loaded);
        setStatus('signedIn');
      })
      .catch(() => setStatus('signedOut'));
  }, []);

  const signedIn = useCallback((loaded: Account) => {
    resetCsrf();
    setAccount(loaded);
    setStatus('signedIn');
  }, []);

  const signOut = useCallback(async () => {
    try {
      await call(api.POST('/api/auth/logout'));
    } finally {
      resetCsrf();
      setAccount(null);
      setStatus('signedOut');
    }
  }, []);

  const value = useMemo(() => ({ status, account, signedIn, signOut }), [status, account, signedIn, signOut]);
  return <AccountContext.Provider value={value}>{children}</AccountContext.Provider>;
}

export function useAccountState(): AccountState {
  const state = useContext(AccountContext);
  if (!state) throw new Error('useAccountState outside AccountProvider');
  return state;
}

/** The signed-in account; only for components rendered inside RequireAccount. */
export function useAccount(): Account {
  const { account } = useAccountState();
  if (!account) throw new Error('useAccount without a signed-in account');
  return account;
}

export function useCan(): (permission: string) => boolean {
  const { account } = useAccountState();
  return useCallback((permission: string) => account?.permissions.includes(permission) ?? false, [account]);
}
