/** Installs the Node platform (`nodePlatform.ts`); imported by `node.ts` before the server. */

import { nodePlatform } from './nodePlatform';
import { installServerPlatform } from './platform';

installServerPlatform(nodePlatform());
