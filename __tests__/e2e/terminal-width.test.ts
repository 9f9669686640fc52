// `meta-deploy run` on a real terminal (a pseudo-terminal from util-linux `script`): the stage boxes and the summary
// are drawn for the terminal's own width, narrow or wide, with every border intact.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../support/runner-files.js';

const CONFIG = `version: 1
environments:
  production:
    deploy: 'echo "deploying $META_DEPLOY_VERSION to the production fleet"; echo "$META_DEPLOY_VERSION" > current'
    rollback: 'echo "$META_DEPLOY_SNAPSHOT_ID" > current'
    health: { timeout: 2s, interval: 100ms, checks: [{ name: Serving the release, run: 'test -s current' }] }
finalize: { changelog: false }
`;

/** The screen's lines as printed on a terminal of `columns` columns (colour and cursor codes removed). */
async function runOnTerminal(columns: number): Promise<string[]> {
  const workspace = await mkdtemp(join(tmpdir(), 'tty-'));
  await writeFile(join(workspace, 'deploy.yml'), CONFIG);
  const cli = `'${process.execPath}' '${join(ROOT, 'dist/cli/index.js')}' run --config deploy.yml --version 1.0.0`;
  const { stdout } = await promisify(execFile)('script', ['-qec', `stty cols ${columns} rows 50; ${cli}`, '/dev/null'], {
    cwd: workspace,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', TERM: 'xterm' },
  });
  return stdout.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '').split('\n');
}

describe('cli on a terminal', () => {
  test.each([40, 200])('draws boxes and the summary for a %i-column terminal', async (columns) => {
    const lines = await runOnTerminal(columns);
    expect(lines).toContain('Deployment Result: SUCCESS');
    const framed = lines.filter((line) => /^[┌│├└]/.test(line));
    expect(framed.length).toBeGreaterThan(10);
    for (const line of framed) expect(Array.from(line).length, line).toBeLessThanOrEqual(columns);
    // The summary box spans the terminal when its notes need the room, rather than a fixed 80 columns.
    const widest = Math.max(...framed.map((line) => Array.from(line).length));
    if (columns === 40) expect(widest).toBe(40);
    else expect(widest).toBeGreaterThan(80);
  });
});
