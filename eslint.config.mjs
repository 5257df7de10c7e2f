import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import { COMPONENT_HELPERS, roomZones } from './eslint.rooms.mjs';

const root = import.meta.dirname;

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
      // No import cycles between files (type-only imports excepted: they vanish at run time).
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // The rooms of lib/ (eslint.rooms.mjs, docs/architecture.md).
    files: ['lib/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'import/no-restricted-paths': ['error', { zones: roomZones(root) }],
    },
  },
  {
    // One clock (lib/clock.ts): tests and the e2e test clock move time; `new Date(x)` is fine.
    files: ['lib/**/*.{ts,tsx}'],
    ignores: ['lib/clock.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Ask now() from lib/clock.ts instead of new Date() (tests and the e2e test clock move time).',
        },
      ],
    },
  },
  {
    // Domain logic imports nothing from Next.js, Auth.js or React; lib/next is the glue.
    files: ['lib/**/*.{ts,tsx}'],
    ignores: ['lib/next/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['next', 'next/*', 'next-auth', 'next-auth/*', 'react', 'react-dom', 'react/*'],
              message: 'Only lib/next imports Next.js, Auth.js or React (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // Components get server actions as props and import lib for types and pure helpers only.
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(@/|(\\.\\./)+)(app/|lib/(?!(${COMPONENT_HELPERS.join('|')})$))`,
              allowTypeImports: true,
              message: 'components/ import lib types and pure helpers only (eslint.rooms.mjs COMPONENT_HELPERS).',
            },
          ],
        },
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
