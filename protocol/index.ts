export * from './version';
export * from './errors';
export * from './common';
export * from './rest/route';
export * from './rest/routes';
export * as auth from './rest/auth';
export * as teams from './rest/teams';
export * as projects from './rest/projects';
export * from './ws';
