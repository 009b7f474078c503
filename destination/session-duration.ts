// Kept apart from assume-role.ts so that flag definitions and `--help` can name the limits
// without loading the STS client.

/** The session the delivery asks for; AWS's default role maximum, so a default role passes. */
export const DEFAULT_SESSION_DURATION_SECONDS = 3600;
/** AssumeRole's bounds on DurationSeconds. @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
export const MIN_SESSION_DURATION_SECONDS = 900;
export const MAX_SESSION_DURATION_SECONDS = 43_200;
export const SESSION_DURATION_RULE = `a session duration is a whole number of seconds from ${MIN_SESSION_DURATION_SECONDS} to ${MAX_SESSION_DURATION_SECONDS}`;
