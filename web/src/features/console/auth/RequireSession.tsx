import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { needsMfaEnrolment, useSession } from './session.js';

/** Sends visitors without a session to sign-in, and users who must enrol MFA to enrolment. */
export function RequireSession({ children, allowWithoutMfa = false }: { children: ReactNode; allowWithoutMfa?: boolean }) {
  const { data: session, isPending } = useSession();
  const location = useLocation();
  if (isPending) return <PageLoader />;
  if (!session) return <Navigate to="/console/login" replace state={{ from: location.pathname + location.search }} />;
  if (!allowWithoutMfa && needsMfaEnrolment(session)) return <Navigate to="/console/mfa" replace />;
  return <>{children}</>;
}
