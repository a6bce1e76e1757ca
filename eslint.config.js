// ESLint (flat config) for our TypeScript and build/bench scripts: ESLint's and
// typescript-eslint's recommended rules (syntax-only, no type information needed), plus a
// 120-column limit for what Prettier cannot wrap (comments, strings: long texts are broken
// by concatenation, same runtime text). Formatting itself is
// Prettier's (.prettierrc.json); `npm run lint` runs both. Templates are rendered into
// generated repos and fixtures are copies of such repos: neither is our source.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', '.deps/', '.tmp/', '**/templates/**', 'test/fixtures/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An argument kept for a common signature is named `_x` (e.g. envChecks(repo, _probes)).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'max-len': [
        'error',
        {
          code: 120,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
);
