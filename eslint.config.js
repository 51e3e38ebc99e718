import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'timers',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'db/generated/',
      '.data/',
      '.tools/',
      'coverage/',
      'web/dist/',
      '.screenshots/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/only-throw-error': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // handlers and activities are async by contract, whether or not they await
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // workflow code is replayed: it must be deterministic and free of I/O
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((name) => [
              { name, message: 'Workflows run in a deterministic sandbox: no Node built-ins.' },
              {
                name: `node:${name}`,
                message: 'Workflows run in a deterministic sandbox: no Node built-ins.',
              },
            ]),
            {
              name: '@temporalio/client',
              message: 'Workflows talk to Temporal through @temporalio/workflow only.',
            },
            {
              name: '@temporalio/worker',
              message: 'Workflows talk to Temporal through @temporalio/workflow only.',
            },
            { name: '@temporalio/activity', message: 'Activities are called through proxyActivities.' },
          ],
          patterns: [
            {
              group: ['../activities', '../activities/*', '../../activities', '../../activities/*'],
              allowTypeImports: true,
              message: 'Import activities as types and call them through proxyActivities.',
            },
            {
              group: ['**/db', '**/db/*', '**/api', '**/api/*', '**/infra/*'],
              message: 'Workflows do no I/O; activities do.',
            },
            {
              group: ['**/notifications/*'],
              allowTypeImports: true,
              message: 'Workflows do no I/O: mails are sent by an activity (the templates’ names are types).',
            },
            {
              group: ['**/domain/audit'],
              allowTypeImports: true,
              message: 'domain/audit hashes with node:crypto; activities write the audit log.',
            },
          ],
        },
      ],
      // (Date, Math.random and timers need no rule: the workflow sandbox makes them deterministic)
    },
  },
  {
    // the portal: React's rules of hooks; generated API types are not linted
    files: ['web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // the router leaves a page by throwing its redirect, by design
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'package', package: '@tanstack/router-core', name: 'Redirect' }] },
      ],
    },
  },
  { ignores: ['web/src/api/schema.d.ts'] },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
