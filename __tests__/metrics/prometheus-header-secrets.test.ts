// The value of a Prometheus header (verify.prometheus.headers names the environment variable holding it) is a secret:
// through the bundled CLI, a command that prints it — whole, or just the token after "Bearer" — shows *** in the log,
// the JSON report and the records.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { faultWorkspace, NEXT } from '../faults/fault-workspace.js';
import { runNode } from '../support/runner-files.js';

test('a Prometheus header value is masked in the log, the report and the records', async () => {
  const token = 'tok-91c3e7d0';
  await using workspace = await faultWorkspace({
    patchConfig: (yaml) =>
      yaml
        .replace('  probes: ["${url}/"]\n', '  probes: ["${url}/"]\n  prometheus: { url: "http://127.0.0.1:9", headers: { Authorization: FAULT_PROM_AUTH } }\n')
        .replace(
          '{ name: Verify hook, run: ./deploy/hang.sh verify }',
          `{ name: Verify hook, run: 'echo "header $FAULT_PROM_AUTH token \${FAULT_PROM_AUTH#Bearer }" && ./deploy/hang.sh verify' }`,
        ),
  });
  const run = await runNode('dist/cli/index.js', { ...workspace.env(), FAULT_PROM_AUTH: `Bearer ${token}` }, { cwd: workspace.dir, args: ['run', '--version', NEXT] });
  expect(run.stdout).toContain('header *** token ***');
  expect(run.stdout + run.stderr).not.toContain(token);
  const report = /^Report: (.+)$/m.exec(run.stdout)?.[1];
  expect(report, run.stdout).toBeDefined();
  expect(await readFile(report!, 'utf8')).not.toContain(token);
  expect(await readFile(join(workspace.dir, '.meta-deploy', 'records.jsonl'), 'utf8')).not.toContain(token);
});
