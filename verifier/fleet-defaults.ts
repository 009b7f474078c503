/** Destinations verified at once unless `--concurrency` says otherwise. */
export const DEFAULT_FLEET_CONCURRENCY = 8;
