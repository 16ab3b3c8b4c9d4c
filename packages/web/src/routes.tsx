/** Every page of the web client. Pages are lazy so the login page does not load ECharts. */
import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { useAccount } from './auth/AccountContext';
import { FullPageSpin, RequireAccount, RequirePermission } from './auth/RequireAccount';
import { NotFoundPage } from './scenes/errors/ErrorPage';
import { RouteErrorPage } from './scenes/errors/RouteErrorPage';
import { WorkbenchLayout } from './scenes/layout/WorkbenchLayout';
import { LoginPage } from './scenes/login/LoginPage';

const HomePage = lazy(() => import('./scenes/home/HomePage'));
const RegionPage = lazy(() => import('./scenes/regions/RegionPage'));
const UsersPage = lazy(() => import('./scenes/users/UsersPage'));
const UserDetailPage = lazy(() => import('./scenes/users/UserDetailPage'));
const UserCreatePage = lazy(() => import('./scenes/users/UserCreatePage'));
const AuditPage = lazy(() => import('./scenes/audit/AuditPage'));
const AccountPage = lazy(() => import('./scenes/account/AccountPage'));
const HouseholdsPage = lazy(() => import('./scenes/households/HouseholdsPage'));
const HouseholdCreatePage = lazy(() => import('./scenes/households/HouseholdCreatePage'));
const HouseholdDetailPage = lazy(() => import('./scenes/households/HouseholdDetailPage'));
const PersonDetailPage = lazy(() => import('./scenes/households/PersonDetailPage'));
const DuplicatesPage = lazy(() => import('./scenes/duplicates/DuplicatesPage'));
const AccessLogPage = lazy(() => import('./scenes/accessLog/AccessLogPage'));
const PoliciesPage = lazy(() => import('./scenes/policies/PoliciesPage'));
const PolicyDetailPage = lazy(() => import('./scenes/policies/PolicyDetailPage'));
const PolicyEditorPage = lazy(() => import('./scenes/policies/PolicyEditorPage'));
const ScreeningPage = lazy(() => import('./scenes/screening/ScreeningPage'));
const MonitoringPage = lazy(() => import('./scenes/monitoring/MonitoringPage'));
// 监测预警: the alert loop (点单→派单→接单), portrait, dashboard, household chain.
const AlertsPage = lazy(() => import('./scenes/alerts/AlertsPage'));
const AlertRaisePage = lazy(() => import('./scenes/alerts/RaisePage'));
const AlertPortraitPage = lazy(() => import('./scenes/alerts/PortraitPage'));
const AlertDashboardPage = lazy(() => import('./scenes/alerts/DashboardPage'));
const AlertChainPage = lazy(() => import('./scenes/alerts/ChainPage'));
const WhatIfPage = lazy(() => import('./scenes/whatIf/WhatIfPage'));
const SourcesPage = lazy(() => import('./scenes/sources/SourcesPage'));
const IntakePage = lazy(() => import('./scenes/intake/IntakePage'));
const IntakeWizardPage = lazy(() => import('./scenes/intake/IntakeWizardPage'));
const HomeVisitPage = lazy(() => import('./scenes/intake/HomeVisitPage'));
const VerificationReportPage = lazy(() => import('./scenes/verification/VerificationReportPage'));
const DelegatedPage = lazy(() => import('./scenes/delegated/DelegatedPage'));
const DelegatedResultPage = lazy(() => import('./scenes/delegated/DelegatedResultPage'));
const EstateReportPage = lazy(() => import('./scenes/delegated/EstateReportPage'));
const BatchVerificationPage = lazy(() => import('./scenes/verification/BatchVerificationPage'));
// Public: residents use it without an account.
const SelfCheckPage = lazy(() => import('./scenes/selfcheck/SelfCheckPage'));
// Residents: phone sign-in and their mobile portal (issue 6 item 1); notices and enrolment for staff.
const ResidentLoginPage = lazy(() => import('./scenes/resident/ResidentLoginPage'));
const ResidentPortalPage = lazy(() => import('./scenes/resident/ResidentPortalPage'));
const NoticesPage = lazy(() => import('./scenes/notices/NoticesPage'));
const EnrolmentPage = lazy(() => import('./scenes/enrolment/EnrolmentPage'));

function page(element: ReactNode, permission?: string | string[]) {
  const body = <Suspense fallback={<FullPageSpin />}>{element}</Suspense>;
  return permission ? <RequirePermission permission={permission}>{body}</RequirePermission> : body;
}

/** /regions opens the person's own region. */
function OwnRegion() {
  return <Navigate to={`/regions/${useAccount().regionCode}`} replace />;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
  { path: '/self-check', element: page(<SelfCheckPage />), errorElement: <RouteErrorPage /> },
  { path: '/resident/login', element: page(<ResidentLoginPage />), errorElement: <RouteErrorPage /> },
  { path: '/resident', element: page(<ResidentPortalPage />), errorElement: <RouteErrorPage /> },
  {
    path: '/',
    element: (
      <RequireAccount>
        <WorkbenchLayout />
      </RequireAccount>
    ),
    errorElement: <RouteErrorPage />,
    // A pathless child keeps the header and menu when a page crashes.
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: page(<HomePage />) },
          { path: 'regions', element: page(<OwnRegion />, 'region.read') },
          { path: 'regions/:code', element: page(<RegionPage />, 'region.read') },
          { path: 'users', element: page(<UsersPage />, 'user.read') },
          { path: 'users/new', element: page(<UserCreatePage />, 'user.manage') },
          { path: 'users/:id', element: page(<UserDetailPage />, 'user.read') },
          { path: 'audit', element: page(<AuditPage />, ['audit.read', 'audit.verify']) },
          { path: 'households', element: page(<HouseholdsPage />, 'registry.read') },
          { path: 'households/new', element: page(<HouseholdCreatePage />, 'registry.write') },
          { path: 'households/:id', element: page(<HouseholdDetailPage />, 'registry.read') },
          {
            path: 'households/:id/verification',
            element: page(<VerificationReportPage />, 'verification.read'),
          },
          { path: 'verification/batch', element: page(<BatchVerificationPage />, 'verification.read') },
          { path: 'delegated', element: page(<DelegatedPage />, 'verification.delegate') },
          { path: 'delegated/estate/:id', element: page(<EstateReportPage />, 'verification.delegate') },
          { path: 'delegated/:id', element: page(<DelegatedResultPage />, 'verification.delegate') },
          { path: 'persons/:id', element: page(<PersonDetailPage />, 'registry.read') },
          { path: 'registry/duplicates', element: page(<DuplicatesPage />, 'registry.merge') },
          { path: 'registry/access-log', element: page(<AccessLogPage />, 'personalData.accessLogRead') },
          { path: 'policies', element: page(<PoliciesPage />, 'policy.read') },
          { path: 'policies/detail', element: page(<PolicyDetailPage />, 'policy.read') },
          { path: 'policies/edit', element: page(<PolicyEditorPage />, 'policy.edit') },
          { path: 'screening', element: page(<ScreeningPage />, 'screening.read') },
          { path: 'monitoring', element: page(<MonitoringPage />, 'monitoring.read') },
          { path: 'alerts', element: page(<AlertsPage />, ['monitoring.read', 'alert.raise']) },
          { path: 'alerts/raise', element: page(<AlertRaisePage />, 'alert.raise') },
          { path: 'alerts/dashboard', element: page(<AlertDashboardPage />, 'monitoring.read') },
          { path: 'alerts/:id/portrait', element: page(<AlertPortraitPage />, 'monitoring.read') },
          { path: 'alerts/households/:id', element: page(<AlertChainPage />, 'monitoring.read') },
          { path: 'what-if', element: page(<WhatIfPage />, 'whatIf.run') },
          { path: 'sources', element: page(<SourcesPage />, 'source.read') },
          { path: 'intake', element: page(<IntakePage />, 'intake.read') },
          { path: 'intake/new', element: page(<IntakeWizardPage />, 'intake.submit') },
          { path: 'intake/cases/:id/visit', element: page(<HomeVisitPage />, 'intake.handle') },
          { path: 'notices', element: page(<NoticesPage />, 'notice.read') },
          { path: 'enrolment', element: page(<EnrolmentPage />, 'enrolment.read') },
          { path: 'account', element: page(<AccountPage />, 'account.read') },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
