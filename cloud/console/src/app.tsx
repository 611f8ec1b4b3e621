/**
 * The router: sign-in outside the shell, everything else inside it behind the session; the forced password change
 * before anything else; pages from PAGES, each loaded on first visit and guarded by its permission.
 */
import { useQuery } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider, useLocation, useNavigate } from 'react-router';
import { api, onSessionEnded } from './api/client';
import type { Site } from './api/types';
import { allows } from './auth/access';
import { ME_KEY, mustChangePassword, useMe } from './auth/session';
import { ErrorState, Loading } from './components/feedback';
import { queryClient } from './query-client';
import { Guard } from './shell/guard';
import { homeTarget } from './shell/home';
import { ShellLayout } from './shell/layout';
import { NotFound } from './shell/not-found';
import { PageView } from './shell/page-modules';
import { PAGES } from './shell/routes';

const SignInPage = lazy(() => import('./pages/sign-in'));
const PasswordPage = lazy(() => import('./pages/password'));

/** Where the operator was, so sign-in can bring them back. */
function here(location: { pathname: string; search: string }): string {
  return location.pathname + location.search;
}

function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const { t } = useTranslation();

  useEffect(
    () =>
      onSessionEnded(() => {
        queryClient.setQueryData(ME_KEY, null);
        void message.warning(t('auth.expired'));
        navigate(`/login?next=${encodeURIComponent(here(window.location))}`, { replace: true });
      }),
    [message, navigate, t],
  );

  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(here(location))}`} replace />;
  if (mustChangePassword(me.data) && location.pathname !== '/password')
    return <Navigate to="/password" replace />;
  return <>{children}</>;
}

/**
 * `/`: where each operator works, or the first-run setup for an operator who may set up venues while no site exists
 * (shell/home.ts). Someone who sells but does not run the place (no operators.manage) starts at the ticket window,
 * the control room at its gates, everyone else at the first page they may open (the dashboard).
 */
function Home() {
  const me = useMe().data ?? undefined;
  const canSetUp = allows(me, 'venues.manage');
  const sites = useQuery({
    queryKey: ['sites', 'list', { limit: 1 }],
    queryFn: () => api.get<{ sites: Site[] }>('/sites', { limit: 1 }),
    enabled: canSetUp,
  });
  const manages = allows(me, 'operators.manage');
  const workplace = manages
    ? undefined
    : allows(me, 'sales.sell')
      ? 'window'
      : allows(me, 'gates.command')
        ? 'gates'
        : undefined;
  const open = PAGES.filter((page) => !page.hidden && allows(me, page.access));
  const first = open.find((page) => page.path === workplace) ?? open[0];
  const target = homeTarget({
    firstPage: first?.path,
    canSetUp,
    sites: sites.isPending ? 'pending' : sites.isError ? 'error' : sites.data.sites.length,
  });
  if (target === undefined) return <Loading />;
  return <Navigate to={target} replace />;
}

const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<Loading />}>
        <SignInPage />
      </Suspense>
    ),
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <ShellLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Home /> },
      { path: 'password', element: <PasswordPage /> },
      ...PAGES.map((page) => {
        return {
          path: `${page.path}/*`,
          element: (
            <Guard access={page.access}>
              <PageView page={page} />
            </Guard>
          ),
        };
      }),
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export function ConsoleRouter() {
  return <RouterProvider router={router} />;
}
