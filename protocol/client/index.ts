export * from './client-error';
export * from './backoff';
export * from './rest-client';
export * from './socket-client';
export * from './kept-subscription';
