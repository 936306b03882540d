/**
 * Child process of feeds.kill.test.ts: runs one feed import against the test's database until the
 * test kills it with SIGKILL.
 */
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { connectDatabase } from '../src/db/connect.js';

const env = process.env;
const handle = connectDatabase({ url: env.KILL_DB_URL!, ...(env.KILL_DB_SCHEMA ? { schema: env.KILL_DB_SCHEMA } : {}) });
const c = createContainer(loadConfig({ TOCSIN_DATA_DIR: env.KILL_DATA_DIR! }), handle);
await c.feedImports.runImport(env.KILL_IMPORT_ID!);
process.stdout.write('finished\n');
await handle.close();
