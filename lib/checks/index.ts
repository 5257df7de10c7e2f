// The programmatic API of the checks, for the server (lib/runs) and the CLI.

export { runChecks } from './run';
export { CHECKS, OFFICIAL_TESTCASE_IDS, UnknownCheckError, getCheck, selectChecks } from './registry';
export { DEFAULT_RUN_LIMITS, OFFICIAL_TEST_SECRET_NAME, RUN_NAME_PREFIX } from './context';
export type * from './types';
export type * from './definition';
