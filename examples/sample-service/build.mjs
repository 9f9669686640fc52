// Build: copy the app into dist/ with a release.json naming its version. DEMO_BROKEN=1 builds a release that needs a
// setting production does not have, so it passes staging and fails production's health check.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
copyFileSync('app.mjs', 'dist/app.mjs');
const release = { version: process.env.META_DEPLOY_VERSION ?? 'dev', builtAt: new Date().toISOString() };
if (process.env.DEMO_BROKEN === '1') release.requires = 'PAYMENTS_API_URL';
writeFileSync('dist/release.json', `${JSON.stringify(release, null, 2)}\n`);
console.log(`built sample-service ${release.version}${release.requires ? ` (requires ${release.requires})` : ''}`);
