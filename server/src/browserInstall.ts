/** Installs the browser platform (`browserPlatform.ts`) on the worker's global scope; imported by `browser.ts` before the server. */

import { browserPlatform, type WorkerScope } from './browserPlatform';
import { installServerPlatform } from './platform';

installServerPlatform(browserPlatform(globalThis as unknown as WorkerScope));
