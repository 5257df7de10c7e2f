import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Prettier (npm run format) lays the code out at 120 columns; what it cannot break (strings,
      // URLs) may run longer, comments may not.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  globalIgnores([
    '.next/**',
    'node_modules/**',
    'lib/db/generated/**',
    'dist/**',
    'data/**',
    'lab/state/**',
    'lab/cache/**',
    'test-results/**',
    'playwright-report/**',
    'next-env.d.ts',
  ]),
]);
