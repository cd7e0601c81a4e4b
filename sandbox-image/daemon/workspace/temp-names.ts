import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Names of the temporary files atomic writes use, so watchers can leave them out. */
const TEMP_NAME = /^\..*\.slipway-[0-9a-f]{12}\.tmp$/;

export const tempPathFor = (target: string): string =>
  path.join(path.dirname(target), `.${path.basename(target).slice(0, 200)}.slipway-${randomBytes(6).toString('hex')}.tmp`);

export const isTempName = (name: string): boolean => TEMP_NAME.test(name);
