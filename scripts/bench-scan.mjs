// The secret scan's figures, on this machine: throughput on realistic text (minified JS bundles, pretty JSON,
// source maps) and the peak RSS of scanning large text files, each scan in its own child process so its peak is
// its own. `benchScan()` returns markdown (scripts/bench.mjs prints it); `node scripts/bench-scan.mjs` alone
// compiles the sources into build/ first and prints it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const MiB = 1024 * 1024;

function compile() {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root, '--outDir', join(root, 'build'), '--noEmit', 'false'], { stdio: 'inherit' });
  copyFileSync(join(root, 'src', 'config', 'schema-validator.generated.js'), join(root, 'build', 'src', 'config', 'schema-validator.generated.js'));
}

// Text shaped like real build output: one-line minified code, indented JSON, a source map's mappings.
const SAMPLES = [
  'function t(e,n){var r=Object.keys(e);return r.filter(function(o){return e[o]!==n}).map(function(o){return o+"="+encodeURIComponent(e[o])}).join("&")}',
  'var a=require("./chunk-4f2a.js"),s=a.createElement("div",{className:"card",onClick:function(){return l(!0)}},a.createElement("span",null,i.title));',
  '  {\n    "id": 48213,\n    "name": "Widget Pro 2",\n    "price": 129.5,\n    "tags": ["tools", "garden"],\n    "url": "https://shop.example.com/p/48213"\n  },\n',
  '"mappings":"AAAA,SAASA,EAAEC,GAAG,OAAOA,EAAEC,IAAIC,CAAC,CAAC,AACrB,IAAIC,EAAE,CAAC,EAAE,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC",',
  // Words the AWS rule's gate looks for (account, secret): on this fifth of the text every window runs that rule too.
  'function u(t){return fetch("/api/account/"+t.accountId,{headers:{"x-client":t.clientSecretName}}).then(function(r){return r.json()})}',
];

function writeText(dir, count, size) {
  mkdirSync(dir, { recursive: true });
  const artifacts = [];
  for (let index = 0; index < count; index++) {
    const sample = SAMPLES[index % SAMPLES.length];
    const path = `file-${index}.${index % SAMPLES.length === 2 ? 'json' : 'js'}`;
    writeFileSync(join(dir, path), sample.repeat(Math.ceil(size / sample.length)).slice(0, size));
    artifacts.push({ path, size: statSync(join(dir, path)).size, sha256: '' });
  }
  return artifacts;
}

/** Scans the artifacts in a child process; returns bytes, milliseconds and the child's peak RSS. */
function scanInChild(dir, artifacts) {
  const module = join(root, 'build', 'src', 'artifacts', 'scan-secrets.js');
  const pool = join(root, 'build', 'src', 'artifacts', 'scan-pool.js');
  // As the build stage does, the scan workers start with the build command (here half a second long).
  const script = `
    const { warmScanPool } = await import(${JSON.stringify(pool)});
    warmScanPool();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { scanSecrets } = await import(${JSON.stringify(module)});
    const result = await scanSecrets(${JSON.stringify(dir)}, ${JSON.stringify(artifacts)}, { knownSecrets: ['a-declared-credential-value'], allow: [] });
    console.log(JSON.stringify({ bytes: result.bytes, ms: result.durationMs, workers: result.workers, findings: result.findings.length, maxRss: process.resourceUsage().maxRSS * 1024 }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

const mb = (bytes) => (bytes / 1e6).toFixed(0);

export async function benchScan() {
  if (!existsSync(join(root, 'build', 'src', 'artifacts', 'scan-secrets.js'))) compile();
  const work = mkdtempSync(join(tmpdir(), 'meta-deploy-bench-scan-'));
  try {
    const many = scanInChild(join(work, 'many'), writeText(join(work, 'many'), 64, 4 * MiB));
    rmSync(join(work, 'many'), { recursive: true });
    const large = scanInChild(join(work, 'large'), writeText(join(work, 'large'), 4, 64 * MiB));
    const rate = (run) => run.bytes / 1e6 / (run.ms / 1000);
    return [
      'The scan workers start half a second before the scan, as they do while a build command runs; their start-up (loading secretlint) is not timed. A fifth of the 4 MiB files holds words (account, secret) on which the AWS rule runs too.',
      '',
      `| Secret scan (secretlint preset-recommend, streamed, ${many.workers} worker threads) | Data | Time | Throughput | Peak RSS | Goal |`,
      '|---|---|---|---|---|---|',
      `| 64 text files of 4 MiB (JS, JSON, source maps) | ${mb(many.bytes)} MB | ${(many.ms / 1000).toFixed(1)} s | ${rate(many).toFixed(0)} MB/s | ${mb(many.maxRss)} MB | ≥ 100 MB/s |`,
      `| 4 text files of 64 MiB | ${mb(large.bytes)} MB | ${(large.ms / 1000).toFixed(1)} s | ${rate(large).toFixed(0)} MB/s | ${mb(large.maxRss)} MB | peak < 200 MB |`,
    ].join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  compile();
  console.log(await benchScan());
}
