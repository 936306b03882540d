import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import '../i18n/console.js';
import { PageLoader } from '../components/PageLoader.js';
import { RequireSession } from '../features/console/auth/RequireSession.js';
import { ConsoleLayout } from '../features/console/layout/ConsoleLayout.js';
import { LoginPage } from '../features/console/auth/LoginPage.js';
import { MfaPage } from '../features/console/auth/MfaPage.js';
import { NotFoundPage } from '../features/portal/NotFoundPage.js';

// One chunk per page.
const QueuePage = lazy(() => import('../features/console/queue/QueuePage.js'));
const ReportPage = lazy(() => import('../features/console/reports/ReportPage.js'));
const PhoneReportPage = lazy(() => import('../features/console/reports/PhoneReportPage.js'));
const IncidentPage = lazy(() => import('../features/console/incidents/IncidentPage.js'));
const PartnersPage = lazy(() => import('../features/console/directory/PartnersPage.js'));
const PartnerPage = lazy(() => import('../features/console/directory/PartnerPage.js'));
const ConstituentsPage = lazy(() => import('../features/console/directory/ConstituentsPage.js'));
const ConstituentPage = lazy(() => import('../features/console/directory/ConstituentPage.js'));
const StatsPage = lazy(() => import('../features/console/stats/StatsPage.js'));
const AdminPage = lazy(() => import('../features/console/admin/AdminPage.js'));
const MailPage = lazy(() => import('../features/console/mail/MailPage.js'));
const SamplesPage = lazy(() => import('../features/console/malware/SamplesPage.js'));
const SamplePage = lazy(() => import('../features/console/malware/SamplePage.js'));
const YaraRulesPage = lazy(() => import('../features/console/malware/YaraRulesPage.js'));
const FeedsPage = lazy(() => import('../features/console/feeds/FeedsPage.js'));
const FeedPage = lazy(() => import('../features/console/feeds/FeedPage.js'));
const ImportPage = lazy(() => import('../features/console/feeds/ImportPage.js'));
const EventsPage = lazy(() => import('../features/console/feeds/EventsPage.js'));
const NoticesPage = lazy(() => import('../features/console/feeds/NoticesPage.js'));
const NoticePage = lazy(() => import('../features/console/feeds/NoticePage.js'));


function page(element: ReactNode) {
  return <Suspense fallback={<PageLoader />}>{element}</Suspense>;
}

export default function ConsoleApp() {
  return (
    <Routes>
      <Route path="login" element={<LoginPage />} />
      <Route
        path="mfa"
        element={
          <RequireSession allowWithoutMfa>
            <MfaPage />
          </RequireSession>
        }
      />
      <Route
        element={
          <RequireSession>
            <ConsoleLayout />
          </RequireSession>
        }
      >
        <Route index element={page(<QueuePage />)} />
        <Route path="reports/phone" element={page(<PhoneReportPage />)} />
        <Route path="reports/:id" element={page(<ReportPage />)} />
        <Route path="incidents/:id" element={page(<IncidentPage />)} />
        <Route path="partners" element={page(<PartnersPage />)} />
        <Route path="partners/:id" element={page(<PartnerPage />)} />
        <Route path="constituents" element={page(<ConstituentsPage />)} />
        <Route path="constituents/:id" element={page(<ConstituentPage />)} />
        <Route path="stats" element={page(<StatsPage />)} />
        <Route path="admin" element={page(<AdminPage />)} />
        <Route path="mail" element={page(<MailPage />)} />
        <Route path="samples" element={page(<SamplesPage />)} />
        <Route path="samples/:id" element={page(<SamplePage />)} />
        <Route path="yara" element={page(<YaraRulesPage />)} />
        <Route path="feeds" element={page(<FeedsPage />)} />
        <Route path="feeds/:id" element={page(<FeedPage />)} />
        <Route path="feed-imports/:id" element={page(<ImportPage />)} />
        <Route path="events" element={page(<EventsPage />)} />
        <Route path="notices" element={page(<NoticesPage />)} />
        <Route path="notices/:id" element={page(<NoticePage />)} />

        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
