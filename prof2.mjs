import { writeFileSync, mkdirSync } from 'node:fs';
const { scanSecrets } = await import('/work/wt-b8-scan/build/src/artifacts/scan-secrets.js');
const s = 'function t(e,n){var r=Object.keys(e);return r.filter(function(o){return e[o]!==n}).map(function(o){return o+"="+encodeURIComponent(e[o])}).join("&")}';
mkdirSync('/tmp/p2', { recursive: true });
writeFileSync('/tmp/p2/a.js', s.repeat(Math.ceil(32*1048576/s.length)));
const t = performance.now();
const r = await scanSecrets('/tmp/p2', [{ path: 'a.js', size: 32*1048576, sha256: '' }], { knownSecrets: [], allow: [] });
console.log(r.durationMs, r.findings.length, (performance.now()-t).toFixed(0));
