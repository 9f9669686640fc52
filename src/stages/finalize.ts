// Stage 6: tag the release — through the GitHub API with a GitHub release carrying the changelog when the GitHub
// features run, else with local git (pushed when the repository has an origin) — write the deployment record and the
// changelog (the plan's commits since the previous tag), notify stakeholders.
// Adds: FinalizeData (tag, release, record, changelog, report path, notifications).
// Failure: a warning only — the healthy deployment stays; the result remains `success`.
import { join } from 'node:path';
import { renderChangelog } from '../changelog/render-changelog.js';
import { git, isGitRepository } from '../exec/git.js';
import { maskDeep } from '../exec/mask.js';
import { expandText } from '../exec/placeholders.js';
import { writeFileAtomic } from '../exec/atomic-write.js';
import type { FinalizeData, StepStatus } from '../engine/model.js';
import { recordOf } from '../engine/records.js';
import type { StageContext, StageDefinition, StageOutcome } from '../engine/stage.js';
import { startStep } from '../engine/steps.js';
import { notificationEvent } from '../notify/notification.js';
import { channelName, sendNotifications } from '../notify/send-notification.js';

/** The local path (no GitHub features here): an annotated tag made with git, pushed when there is an origin. */
async function tagLocally(context: StageContext, name: string): Promise<NonNullable<FinalizeData['tag']>> {
  if (!(await isGitRepository(context.workspace))) return { name, status: 'skipped', detail: 'workspace is not a git repository' };
  // Nothing new since the last release (or a tag push): the tag is already there, on this very commit.
  const [tagged, head] = await Promise.all([git(['rev-parse', '-q', '--verify', `refs/tags/${name}^{commit}`], context.workspace), git(['rev-parse', 'HEAD'], context.workspace)]);
  if (tagged.ok && tagged.stdout.trim() === head.stdout.trim()) return { name, status: 'skipped', detail: 'already tags this commit' };
  // An annotated tag needs a tagger; a fresh CI checkout often has none configured, so fall back to ours.
  const hasIdentity = (await git(['config', 'user.email'], context.workspace)).stdout.trim() !== '';
  const identity = hasIdentity ? [] : ['-c', 'user.name=meta-deploy', '-c', 'user.email=meta-deploy@users.noreply.github.com'];
  // argv, never a shell: the tag name comes from the version, which is user input.
  const created = await git([...identity, 'tag', '-a', name, '-m', `meta-deploy: ${context.plan.target} ${context.plan.version}`], context.workspace);
  if (!created.ok) return { name, status: 'warning', detail: `not tagged: ${created.stderr.trim().split('\n')[0]}` };
  const remote = await git(['remote', 'get-url', 'origin'], context.workspace);
  if (!remote.ok) return { name, status: 'passed', detail: 'tagged locally (no origin remote to push to)' };
  const pushed = await git(['push', 'origin', `refs/tags/${name}`], context.workspace, 60_000);
  return pushed.ok
    ? { name, status: 'passed', detail: 'tagged and pushed to origin' }
    : { name, status: 'warning', detail: `tagged locally; push failed: ${pushed.stderr.trim().split('\n').pop()}` };
}

/** The tag (and, through GitHub, the release with the changelog as its notes) of a release that reached production. */
async function publish(context: StageContext, notes: string): Promise<Pick<FinalizeData, 'tag' | 'release'>> {
  const name = expandText(context.config.finalize.tag, context.placeholders('production'));
  if (!context.plan.environments.includes('production')) return { tag: { name, status: 'skipped', detail: 'production not deployed in this run' } };
  if (!context.github) return { tag: await tagLocally(context, name) };
  const published = await context.github.release({ tag: name, target: context.plan.target, version: context.plan.version, notes, release: context.config.finalize.release });
  return { tag: published.tag, ...(published.release ? { release: published.release } : {}) };
}

async function writeChangelog(context: StageContext, text: string): Promise<FinalizeData['changelog']> {
  if (!context.config.finalize.changelog) return { status: 'skipped', detail: 'finalize.changelog is false', entries: 0 };
  if (context.plan.versionFrom === 'local git' && !(await isGitRepository(context.workspace))) return { status: 'skipped', detail: 'workspace is not a git repository', entries: 0 };
  const { previousTag, commits } = context.plan.changes;
  const file = join(context.stateDir, 'changelog', `${context.plan.version}.md`);
  await writeFileAtomic(file, text);
  return { file, status: 'passed', detail: `${commits.length} commits since ${previousTag ?? 'the first commit'}`, entries: commits.length };
}

export const finalizeStage: StageDefinition<'finalize'> = {
  id: 'finalize',
  title: 'FINALIZE',
  label: 'Finalize',
  gates: ['deployment:complete'],
  onFailure: ['WARN (the healthy deployment stays)'],
  skipReason: () => undefined,
  blocks: ({ config }) => [
    {
      mode: 'sequential',
      steps: [
        { name: 'Tag release', detail: config.finalize.tag },
        { name: 'Update deployment records' },
        { name: 'Notify stakeholders', detail: config.finalize.notify.map(channelName).join(', ') || 'no notifications configured' },
      ],
    },
  ],

  async run(context): Promise<StageOutcome<'finalize'>> {
    const timer = startStep(context);
    const data: FinalizeData = { notifications: [] };
    // Each step stands alone: one that breaks is a warning, and the others (the record above all) still happen.
    const warn = (error: Error) => ({ status: 'warning' as const, detail: `failed: ${error.message}` });
    const { plan } = context;
    const changelog = renderChangelog(plan.version, context.deployment.startedAt.slice(0, 10), plan.changes.commits, plan.repositoryUrl);
    Object.assign(data, await publish(context, changelog).catch((error: Error) => ({ tag: { name: context.config.finalize.tag, ...warn(error) } })));
    data.changelog = await writeChangelog(context, changelog).catch((error: Error) => ({ ...warn(error), entries: 0 }));
    try {
      await context.records.append(recordOf(maskDeep(context.deployment, context.mask)));
      data.record = { file: context.records.file, status: 'passed', detail: 'appended' };
    } catch (error) {
      data.record = { file: context.records.file, status: 'failed', detail: (error as Error).message };
    }
    if (context.deployment.reportFile) data.report = { file: context.deployment.reportFile };
    const { io } = context;
    const event = notificationEvent('finished', context.deployment, { env: context.env, mask: context.mask, now: io.clock.now() });
    // A cancelled run still tries each channel, without waiting between attempts.
    data.notifications = await sendNotifications(context.config.finalize.notify, event, { env: context.env, http: io.http, sleep: (ms) => io.clock.sleep(ms, context.signal) });

    const statuses: StepStatus[] = [data.tag?.status, data.release?.status, data.changelog?.status, data.record.status, ...data.notifications.map((n) => n.status)].filter((s): s is StepStatus => Boolean(s));
    const clean = statuses.every((status) => status === 'passed' || status === 'skipped');
    const warnings = [
      data.tag?.status === 'warning' ? `tag: ${data.tag.detail}` : '',
      data.release?.status === 'warning' ? `release: ${data.release.detail}` : '',
      data.record.status === 'failed' ? `record: ${data.record.detail}` : '',
      ...data.notifications.filter((n) => n.status !== 'passed').map((n) => `${n.channel}: ${n.detail}`),
    ].filter(Boolean);
    const notes = clean
      ? [data.tag?.status === 'passed' ? `tagged ${data.tag.name}` : '', data.release?.status === 'passed' ? 'released' : '', 'record written', data.notifications.length ? `${data.notifications.length} notified` : ''].filter(Boolean).join(', ')
      : warnings.join('; ');
    return {
      status: clean ? 'passed' : 'warning',
      notes,
      gates: [{ name: 'deployment:complete', passed: data.record.status === 'passed', detail: data.record.detail }],
      steps: [timer.finish('Finalize deployment', clean ? 'passed' : 'warning', notes)],
      data,
    };
  },
};
