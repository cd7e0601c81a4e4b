export { DaemonClient } from './daemon-client';
export type { DaemonClientOptions, WriteFileOptions } from './daemon-client';
export { DaemonStream } from './daemon-stream';
export { DaemonClientError } from './daemon-client-error';
