/**
 * Every stable error code the toolkit reports. Each one has a row in the
 * troubleshooting table (errors/troubleshooting.ts); the compiler insists.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
