/**
 * The commands that run Yeoman generators (`new`, `init`): one bundle
 * (dist/cli/yeoman.mjs) so Yeoman is loaded only by them, and once.
 */
export { newCommand } from './new.js';
export { initCommand } from './init.js';
