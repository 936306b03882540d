import '../i18n/console.js';
import { SetupPage } from '../features/console/auth/SetupPage.js';

/** `/setup?token=…`, the first-run link the server prints; lazy like the console. */
export default function SetupRoute() {
  return <SetupPage />;
}
