import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session.js';
import { useUsers } from './useDirectory.js';

/** A person's display name from their id (all names for administrators; others see their own). */
export function useUserName() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const { data: users } = useUsers(session?.user.role === 'admin');
  return (id: string | null): string => {
    if (!id) return t('console.incident.system');
    if (id === session?.user.id) return session.user.displayName;
    return users?.find((u) => u.id === id)?.displayName ?? t('console.incident.userN', { id: id.slice(0, 8) });
  };
}
