/** The Puruto standard version this package generates and validates against. */
export const STANDARD_VERSION = '0.2.0';

/** File that records a repo's standard version (one line). */
export const VERSION_FILE = '.puruto-standard-version';
