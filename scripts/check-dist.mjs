// dist/ must equal a fresh bundle of src/: users run dist/, so a stale one ships old code.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { bundle } from './bundle.mjs';

function files(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();
}

const fresh = join(mkdtempSync(join(tmpdir(), 'dist-')), 'dist');
bundle(fresh);
const expected = files(fresh);
const actual = files('dist');
const differences = [
  ...expected.filter((file) => !actual.includes(file)).map((file) => `missing: dist/${file}`),
  ...actual.filter((file) => !expected.includes(file)).map((file) => `extra: dist/${file}`),
  ...expected.filter((file) => actual.includes(file) && !readFileSync(join(fresh, file)).equals(readFileSync(join('dist', file)))).map((file) => `differs: dist/${file}`),
];
if (differences.length) {
  console.error(`dist/ is not a fresh bundle of src/ (run npm run build and commit dist/):\n  ${differences.join('\n  ')}`);
  process.exit(1);
}
console.log(`dist/ matches a fresh bundle (${expected.length} files, ${relative('.', 'dist')})`);
