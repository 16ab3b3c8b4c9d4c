import { Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ForbiddenPage } from '../scenes/errors/ErrorPage';
import { useAccountState } from './AccountContext';

/** Renders its children only for a signed-in account; otherwise to the login page, keeping the return path. */
export function RequireAccount({ children }: { children: ReactNode }) {
  const { status } = useAccountState();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'signedOut') {
    const from = `${location.pathname}${location.search}`;
    const search = from === '/' ? '' : `?from=${encodeURIComponent(from)}`;
    return <Navigate to={`/login${search}`} replace />;
  }
  return <>{children}</>;
}

/** Shows the 403 page unless the account holds the permission (the server checks again). */
export function RequirePermission({
  permission,
  children,
}: {
  permission: string | string[];
  children: ReactNode;
}) {
  const { account } = useAccountState();
  const needed = Array.isArray(permission) ? permission : [permission];
  if (!needed.some((p) => account?.permissions.includes(p))) return <ForbiddenPage />;
  return <>{children}</>;
}

export function FullPageSpin() {
  return (
    <div style={{ minHeight: '60vh', display: 'grid', placeItems: 'center' }}>
      <Spin size="large" />
    </div>
  );
}
