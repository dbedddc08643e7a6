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
  {
    // The browser build bundles these (the web extension's client, its worker server): no Node at run time.
    // Node-only modules are the entries and platforms named `node*` and the git review handlers.
    files: ['server/src/**/*.ts', 'client/src/**/*.ts', 'protocol/src/**/*.ts'],
    ignores: ['server/src/node*.ts', 'server/src/handlers/reviewHandlers.ts', 'client/src/node.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode-languageserver/node', message: 'runs in the browser too: import from vscode-languageserver (Node-only code goes in server/src/nodePlatform.ts)', allowTypeImports: true },
            { name: 'vscode-languageclient/node', message: 'runs in the browser too: import from vscode-languageclient (Node-only code goes in client/src/node.ts)', allowTypeImports: true },
          ],
          patterns: [{ group: ['node:*'], message: 'runs in the browser too: Node built-ins belong in server/src/nodePlatform.ts or host/', allowTypeImports: true }],
        },
      ],
    },
  },
);
