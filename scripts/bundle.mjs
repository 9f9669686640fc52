// Bundles every entry point into dist/ with ncc: the action (dist/index.js), its post step (dist/post/index.js)
// and the CLI (dist/cli/index.js). `dist/` is committed; CI checks it equals a fresh bundle.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const ENTRIES = [
  ['src/entry/action.ts', 'dist'],
  ['src/entry/post.ts', 'dist/post'],
  ['src/entry/cli.ts', 'dist/cli'],
];

rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of ENTRIES) {
  execFileSync(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', out, '--quiet', '--license', 'licenses.txt'], { stdio: 'inherit' });
}
