/**
 * Entry point of the language server on Node (`dist/server.js`): installs
 * the Node platform, then loads the server. The order of the two imports is
 * the point: the server reads its platform when it loads.
 */

import './nodeInstall';
import './main';
