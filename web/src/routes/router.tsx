import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { PortalLayout } from '../components/PortalLayout.js';
import { PageLoader } from '../components/PageLoader.js';
import { RouteError } from '../components/RouteError.js';
import { HomePage } from '../features/portal/HomePage.js';
import { ReportFormPage } from '../features/portal/report/ReportFormPage.js';
import { ConfirmationPage } from '../features/portal/ConfirmationPage.js';
import { TrackPage } from '../features/portal/track/TrackPage.js';
import { NotFoundPage } from '../features/portal/NotFoundPage.js';

// The staff console is a separate chunk: the public portal never downloads it.
const ConsoleApp = lazy(() => import('./ConsoleApp.js'));
const SetupRoute = lazy(() => import('./SetupRoute.js'));
// Anonymous sample submission: rarely used, so its pages (and the analysis strings) load on demand.
const PublicSubmitPage = lazy(() => import('../features/portal/samples/PublicSubmitPage.js'));
const PublicSampleReportPage = lazy(() => import('../features/portal/samples/PublicSampleReportPage.js'));
// The page a notice's acknowledgement link opens (organisations notified from feeds).
const NoticeAckPage = lazy(() => import('../features/portal/NoticeAckPage.js'));

const suspended = (element: ReactNode) => <Suspense fallback={<PageLoader />}>{element}</Suspense>;

export const router = createBrowserRouter([
  {
    element: <PortalLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'report', element: <ReportFormPage variant="general" /> },
      { path: 'report/advanced', element: <ReportFormPage variant="advanced" /> },
      { path: 'report/submitted', element: <ConfirmationPage /> },
      { path: 'track/:token', element: <TrackPage /> },
      { path: 'samples', element: suspended(<PublicSubmitPage />) },
      { path: 'samples/:token', element: suspended(<PublicSampleReportPage />) },
      { path: 'notices/ack/:token', element: suspended(<NoticeAckPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  {
    path: 'setup',
    errorElement: <RouteError />,
    element: (
      <Suspense fallback={<PageLoader />}>
        <SetupRoute />
      </Suspense>
    ),
  },
  {
    path: 'console/*',
    errorElement: <RouteError />,
    element: (
      <Suspense fallback={<PageLoader />}>
        <ConsoleApp />
      </Suspense>
    ),
  },
]);
