import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandProvider } from '../../src/providers/command.js';
import { buildContext, buildEnvironment, buildPlaceholders, createWorkspace, writeFiles } from './provider-context.js';


describe('command provider: deploy', () => {
  it('runs the deploy command in the workspace with the artifacts directory and META_DEPLOY_* variables', async () => {
    await using workspace = await createWorkspace();
    await writeFiles(workspace.dir, {
      'deploy.sh': '#!/usr/bin/env bash\necho "$META_DEPLOY_VERSION $META_DEPLOY_ARTIFACTS_DIR $PWD" > deployed.txt\n',
    });
    const environment = buildEnvironment({ deploy: './deploy.sh' });
    const context = buildContext(workspace.dir, environment, { placeholders: buildPlaceholders({ version: '2.3.4' }) });

    const outcome = await commandProvider.deploy(context, '2.3.4');

    expect(outcome.ok).toBe(true);
    const written = await readFile(path.join(workspace.dir, 'deployed.txt'), 'utf8');
    expect(written.trim()).toBe(`2.3.4 ${context.artifactsDir} ${workspace.dir}`);
  });

  it('passes a hostile placeholder value to the command as a string, never as code', async () => {
    await using workspace = await createWorkspace();
    await writeFiles(workspace.dir, { 'deploy.sh': '#!/usr/bin/env bash\nprintf "%s" "$1" > target.txt\n' });
    const environment = buildEnvironment({ deploy: './deploy.sh ${target}' });
    const placeholders = buildPlaceholders({ target: '$(touch pwned); `touch pwned2`' });
    const context = buildContext(workspace.dir, environment, { placeholders });

    const outcome = await commandProvider.deploy(context, '1.0.0');

    expect(outcome.ok).toBe(true);
    expect(await readFile(path.join(workspace.dir, 'target.txt'), 'utf8')).toBe('$(touch pwned); `touch pwned2`');
    await expect(access(path.join(workspace.dir, 'pwned'))).rejects.toThrow();
    await expect(access(path.join(workspace.dir, 'pwned2'))).rejects.toThrow();
  });

  it('reports a deploy that exits non-zero as failed, with config path, exit code and output', async () => {
    await using workspace = await createWorkspace();
    await writeFiles(workspace.dir, { 'deploy.sh': '#!/usr/bin/env bash\necho "disk full" >&2\nexit 3\n' });
    const context = buildContext(workspace.dir, buildEnvironment({ deploy: './deploy.sh' }));

    const outcome = await commandProvider.deploy(context, '1.0.0');

    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toBe('environments.production.deploy: ./deploy.sh exit 3');
    expect(outcome.output).toContain('disk full');
  });

  it('reports a deploy that hangs past commandTimeoutMs as timed out', async () => {
    await using workspace = await createWorkspace();
    await writeFiles(workspace.dir, { 'deploy.sh': '#!/usr/bin/env bash\necho started\nsleep 30\n' });
    const context = buildContext(workspace.dir, buildEnvironment({ deploy: './deploy.sh', commandTimeoutMs: 300 }));

    const outcome = await commandProvider.deploy(context, '1.0.0');

    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toBe('environments.production.deploy: ./deploy.sh timed out after 300ms (process group killed)');
    expect(outcome.output).toContain('started');
  });

  it('fails clearly when no deploy command is configured', async () => {
    await using workspace = await createWorkspace();
    const outcome = await commandProvider.deploy(buildContext(workspace.dir, buildEnvironment()), '1.0.0');
    expect(outcome).toMatchObject({ ok: false, detail: 'environments.production.deploy is not configured' });
  });
});

describe('command provider: snapshot', () => {
  it('takes the last non-empty stdout line of the snapshot command as id and version, ignoring stderr', async () => {
    await using workspace = await createWorkspace();
    await writeFiles(workspace.dir, {
      'snapshot.sh': [
        '#!/usr/bin/env bash',
        'echo "looking up release"',
        'echo "release-42"',
        'echo "warning: slow" >&2',
        'echo ""',
      ].join('\n'),
    });
    const context = buildContext(workspace.dir, buildEnvironment({ snapshot: './snapshot.sh' }));

    const outcome = await commandProvider.snapshot(context);

    expect(outcome).toMatchObject({ ok: true, snapshotId: 'release-42', version: 'release-42' });
  });

  it('reports a snapshot command that fails as a failed snapshot without an id', async () => {
    await using workspace = await createWorkspace();
    await writeFiles(workspace.dir, { 'snapshot.sh': '#!/usr/bin/env bash\necho "1.0.0"\nexit 1\n' });
    const context = buildContext(workspace.dir, buildEnvironment({ snapshot: './snapshot.sh' }));

    const outcome = await commandProvider.snapshot(context);

    expect(outcome.ok).toBe(false);
    expect(outcome.snapshotId).toBeUndefined();
    expect(outcome.detail).toBe('environments.production.snapshot: ./snapshot.sh exit 1');
  });

  it('treats a snapshot command that prints nothing as nothing deployed yet', async () => {
    await using workspace = await createWorkspace();
    await writeFiles(workspace.dir, { 'snapshot.sh': '#!/usr/bin/env bash\necho "no release" >&2\n' });
    const context = buildContext(workspace.dir, buildEnvironment({ snapshot: './snapshot.sh' }));

    const outcome = await commandProvider.snapshot(context);

    expect(outcome.ok).toBe(true);
    expect(outcome.snapshotId).toBeUndefined();
    expect(outcome.detail).toContain('printed no id');
  });

  it('uses the last recorded version as the snapshot when no snapshot command is configured', async () => {
    await using workspace = await createWorkspace();
    const context = buildContext(workspace.dir, buildEnvironment(), { lastRecordedVersion: '1.4.0' });

    expect(await commandProvider.snapshot(context)).toMatchObject({ ok: true, snapshotId: '1.4.0', version: '1.4.0' });
  });

  it('has no snapshot id on a first deployment without a snapshot command', async () => {
    await using workspace = await createWorkspace();
    const outcome = await commandProvider.snapshot(buildContext(workspace.dir, buildEnvironment()));

    expect(outcome.ok).toBe(true);
    expect(outcome.snapshotId).toBeUndefined();
    expect(outcome.version).toBeUndefined();
  });
});

describe('command provider: rollback', () => {
  it('runs the rollback command with META_DEPLOY_SNAPSHOT_ID set to the snapshot id', async () => {
    await using workspace = await createWorkspace();
    await writeFiles(workspace.dir, {
      'rollback.sh': '#!/usr/bin/env bash\nprintf "%s" "$META_DEPLOY_SNAPSHOT_ID" > rolled-back-to.txt\n',
    });
    const context = buildContext(workspace.dir, buildEnvironment({ rollback: './rollback.sh' }));

    const outcome = await commandProvider.rollback(context, 'release-41');

    expect(outcome.ok).toBe(true);
    expect(await readFile(path.join(workspace.dir, 'rolled-back-to.txt'), 'utf8')).toBe('release-41');
  });

  it('lets the rollback command read the snapshot id through the ${snapshot} placeholder', async () => {
    await using workspace = await createWorkspace();
    const environment = buildEnvironment({ rollback: 'printf "%s" ${snapshot} > rolled-back-to.txt' });
    const context = buildContext(workspace.dir, environment);

    expect((await commandProvider.rollback(context, 'release 41')).ok).toBe(true);
    expect(await readFile(path.join(workspace.dir, 'rolled-back-to.txt'), 'utf8')).toBe('release 41');
  });

  it('fails clearly when no rollback command is configured', async () => {
    await using workspace = await createWorkspace();
    const outcome = await commandProvider.rollback(buildContext(workspace.dir, buildEnvironment()), '1.0.0');
    expect(outcome).toMatchObject({ ok: false, detail: 'environments.production.rollback is not configured' });
  });

  it('reports a rollback command that fails', async () => {
    await using workspace = await createWorkspace();
    await writeFiles(workspace.dir, { 'rollback.sh': '#!/usr/bin/env bash\nexit 7\n' });
    const context = buildContext(workspace.dir, buildEnvironment({ rollback: './rollback.sh' }));

    expect(await commandProvider.rollback(context, '1.0.0')).toMatchObject({
      ok: false,
      detail: 'environments.production.rollback: ./rollback.sh exit 7',
    });
  });
});
