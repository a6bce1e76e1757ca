/**
 * Every Puruto kind, one line each: a kind is its folder under generators/ (kind.ts,
 * index.ts, questions.ts, files.ts, templates/) plus its line here. The export name is
 * free; the order of the lists is each declaration's `listed`. Read through
 * generators/kinds.ts, never directly.
 */
export { default as app } from './app/kind.js';
export { default as data } from './data/kind.js';
export { default as gateway } from './gateway/kind.js';
export { default as cron } from './cron/kind.js';
export { default as telegram } from './telegram/kind.js';
