/**
 * Entry point of the language server in a web worker (`dist/browser/server.js`,
 * started by `client/src/browser.ts`): installs the browser platform, then
 * loads the same server as on Node. The order of the two imports is the
 * point: the server reads its platform when it loads.
 */

import './browserInstall';
import './main';
