// One lint setup for every layer. The core/ block enforces architecture rule 1:
// the trading core is plain Node TypeScript and must never reach for electron, React or the DOM.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const domGlobals = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'HTMLElement',
  'location',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'dist-electron',
      'release',
      'test-results',
      'playwright-report',
      'artifacts',
      '.ci',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'core/ must not import electron (architecture rule 1).',
            },
            {
              group: ['react', 'react-dom', 'react/*', 'react-dom/*'],
              message: 'core/ must not import React (architecture rule 1).',
            },
            {
              group: ['**/renderer/**', '**/electron/**'],
              message: 'core/ must not import from the hosts above it.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...domGlobals.map((name) => ({ name, message: `core/ runs on Node: no DOM global "${name}".` })),
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer talks to the core only through the contract (schemas, types, defaults): the
      // engines run in the host, and pulling one in would bundle Node code into the page.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)core/(?!contract/)',
              message: 'renderer/ may import only core/contract/** from the core (architecture rule 2).',
            },
          ],
        },
      ],
    },
  },
);
