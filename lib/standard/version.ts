/**
 * The standard versions, oldest first: the one chain upgrade migrates along (one migration
 * per step, lib/upgrade/migrations.ts), whose last entry is the version this package
 * generates and validates against. `0.0.0` stands for a repo without a version file.
 * Generated Python gets it rendered (puruto_env.py's SUPPORTED_VERSION).
 */
export const VERSION_CHAIN = ['0.0.0', '0.1.0', '0.2.0'] as const;
export type Version = (typeof VERSION_CHAIN)[number];

/** The Puruto standard version this package generates and validates against. */
export const STANDARD_VERSION: Version = VERSION_CHAIN[VERSION_CHAIN.length - 1]!;

/** File that records a repo's standard version (one line). */
export const VERSION_FILE = '.puruto-standard-version';
