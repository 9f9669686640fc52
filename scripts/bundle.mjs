// Bundles every entry point with ncc: the action (index.js), its post step (post/index.js), the CLI (cli/index.js)
// and the secret-scan worker beside the two that scan. `node scripts/bundle.mjs [outDir]` — default dist/, which is committed.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const ENTRIES = [
  ['src/entry/action.ts', '.'],
  ['src/entry/post.ts', 'post'],
  ['src/entry/cli.ts', 'cli'],
  // The secret-scan worker thread, beside each bundle that scans (src/artifacts/scan-pool.ts looks for it there).
  ['src/artifacts/scan-worker.ts', 'scan-worker'],
  ['src/artifacts/scan-worker.ts', 'cli/scan-worker'],
];

export function bundle(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  for (const [entry, sub] of ENTRIES) {
    execFileSync(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', join(outDir, sub), '--quiet', '--license', 'licenses.txt'], { stdio: 'inherit' });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) bundle(process.argv[2] ?? 'dist');
