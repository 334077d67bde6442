// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';


/**
 * The layout table of DESIGN.md, enforced: each part imports only what its row allows. A part is
 * named by a path segment in the import (`../hub/…`, `../../contract/…`).
 */
const part = (name) => `(^|/)${name}/`;
const forbid = (names, why) => names.map((name) => ({ regex: part(name), message: `${why} (DESIGN.md, "Layout")` }));
const notInProduction = ['**/*.test.ts'];

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A durable pipeline lives or dies by awaited promises: a forgotten one is a lost reading.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // fastify plugins and interface implementations are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['contract/**/*.ts'],
    ignores: notInProduction,
    rules: { 'no-restricted-imports': ['error', { patterns: forbid(['gateway', 'hub', 'dashboard-api', 'firmware-sim', 'web', 'bin', 'scripts', 'test'], 'contract imports nothing of ours') }] },
  },
  {
    files: ['gateway/**/*.ts'],
    ignores: notInProduction,
    rules: { 'no-restricted-imports': ['error', { patterns: forbid(['hub', 'dashboard-api', 'firmware-sim', 'web', 'bin', 'scripts', 'test'], 'gateway may import contract only') }] },
  },
  {
    files: ['hub/**/*.ts'],
    ignores: notInProduction,
    rules: { 'no-restricted-imports': ['error', { patterns: forbid(['gateway', 'dashboard-api', 'firmware-sim', 'web', 'bin', 'scripts', 'test'], 'hub may import contract only') }] },
  },
  {
    // firmware-sim meets the gateway through types only (the adapter interface, decoded values): its
    // encoders, RACP parser and clock carry their own wire codes, so a wrong code in the gateway's
    // tables no longer encodes and decodes wrongly together (issue #15 item 8). Tests may import
    // the gateway's decoders to check both sides agree.
    files: ['firmware-sim/**/*.ts'],
    ignores: notInProduction,
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbid(['hub', 'dashboard-api', 'web', 'bin', 'scripts', 'test'], 'firmware-sim may import contract and gateway types only'),
            { regex: part('gateway'), allowTypeImports: true, message: "firmware-sim imports the gateway's types only; wire codes are its own (DESIGN.md, \"Layout\")" },
          ],
        },
      ],
    },
  },
  {
    files: ['dashboard-api/**/*.ts'],
    ignores: notInProduction,
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbid(['gateway', 'firmware-sim', 'web', 'bin', 'scripts', 'test'], 'dashboard-api may import contract and hub interfaces only'),
            { regex: part('hub'), allowTypeImports: true, message: 'dashboard-api meets the hub through interfaces: import types only (DESIGN.md, "Layout")' },
          ],
        },
      ],
    },
  },
  {
    // The browser application talks to the hub only through the documented /api/v1 routes (types
    // generated from the OpenAPI document): it imports no code of the other parts.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    ignores: notInProduction,
    rules: { 'no-restricted-imports': ['error', { patterns: forbid(['contract', 'gateway', 'hub', 'dashboard-api', 'firmware-sim', 'bin', 'scripts', 'test'], 'web talks to the hub through /api/v1 only') }] },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
