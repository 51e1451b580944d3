import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'util', 'stream', 'net', 'http', 'https', 'url', 'events', 'buffer'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'e2e-output/**', 'test-results/**', 'bench/results*.json', '.stryker-tmp*/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='eval']", message: 'No eval.' }],
    },
  },
  {
    files: ['main/**/*.ts', 'e2e/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The process boundary (Signal's habit): the renderer never reaches Electron or Node.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.bitlocker (renderer/bridge.ts).' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs sandboxed in a browser: no Node modules.' },
            { group: ['**/main/**', '../main/*'], message: 'Main-process code never ships to the renderer; share types through preload/contract.ts.' },
            { group: ['**/preload/index', '**/preload/bridge'], message: 'Only the contract is shared with the renderer.' },
          ],
        },
      ],
    },
  },
  {
    // Only preload touches ipcRenderer; the contract stays free of electron/node so every process can import it.
    files: ['preload/contract.ts', 'preload/bridge.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: [{ group: nodeBuiltins, message: 'The contract is shared by every process.' }] }],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'Main never imports renderer code.' }] },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'PowerShell', property: '$', message: 'node-powershell templates splice unescaped text: use session.call with encoded data.' },
        { object: 'PowerShell', property: '$$', message: 'node-powershell templates splice unescaped text: use session.call with encoded data.' },
        { object: 'PowerShell', property: 'command', message: 'node-powershell templates splice unescaped text: use session.call with encoded data.' },
      ],
    },
  },
);
