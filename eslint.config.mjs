// Lint: TypeScript recommended rules everywhere; the core may not import the
// editor, the protocol or the file system (it is pure: text in, data out).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.e2e/**', 'out/**', 'test-results/**', 'bench/.corpus/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'core/src/schema/generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageclient', 'vscode-languageclient/node', 'fs', 'node:fs', 'node:fs/promises', 'fs/promises', 'child_process', 'node:child_process', 'http', 'https', 'node:http', 'node:https', 'net', 'node:net'],
          patterns: ['vscode-languageserver*', 'vscode-languageclient*'],
        },
      ],
    },
  },
);
