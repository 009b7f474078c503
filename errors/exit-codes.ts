/** Process exit codes, the same for every command (and for the cdktf app, which reports errors the same way). */
export const EXIT_OK = 0;
/** A check or a job failed. */
export const EXIT_FAILED = 1;
/** Bad usage or bad input, rejected before any AWS call. */
export const EXIT_BAD_INPUT = 2;
/** Stopped by Ctrl-C before it finished (`demo`; 128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;
