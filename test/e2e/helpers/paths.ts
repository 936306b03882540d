import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
