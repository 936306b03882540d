export { ensureWebBuild, webBuildIsStale } from './build.js';
export { startServer } from './server.js';
export type { RunningServer, StartServerOptions } from './server.js';
export { launchBrowser, newPage, CHROMIUM_PATH } from './browser.js';
export type { PageOptions } from './browser.js';
export { expectNoSeriousA11yViolations, runAxe } from './axe.js';
