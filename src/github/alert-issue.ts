// The alert issue (`finalize.notify: [{ github-issue: { labels } }]`): a production deployment that was rolled back
// or failed opens an issue labelled `meta-deploy`, titled after its target; while that issue is open, the next one
// comments on it instead of opening a duplicate. It receives the masked deployment, and puts the reason in a code
// block (a reason quoting a service's answer can neither break the Markdown nor mention anyone).
import type { AlertIssueConfig } from '../config/types.js';
import type { Deployment } from '../engine/model.js';
import { RESULT_LABELS } from '../report/labels.js';
import { escapeCell, escapeText, fence, inlineCode } from '../report/markdown.js';
import type { GitHubApi } from './client.js';
import type { GitHubRunContext } from './run-context.js';

export interface AlertIssue {
  url: string;
  number: number;
  action: 'opened' | 'commented';
}

/** Every alert issue carries it: how the next run finds the open one. */
export const ALERT_LABEL = 'meta-deploy';

/** Production went wrong: rolled back, or failed at production or verify (a failed rollback included). */
function productionWentWrong(deployment: Deployment): boolean {
  return deployment.result !== undefined && deployment.result !== 'success' && (deployment.failedStage === 'production' || deployment.failedStage === 'verify');
}

function titlePrefix(target: string): string {
  return `meta-deploy: ${target} production deployment `;
}

function body(deployment: Deployment, context: GitHubRunContext, heading: string): string {
  const rows: [string, string][] = [
    ['Result', RESULT_LABELS[deployment.result!]],
    ['Version', deployment.version],
    ['Previous version', deployment.previousVersion ?? 'none recorded'],
    ['Failed stage', deployment.failedStage ?? ''],
    ...(deployment.sha ? [['Commit', deployment.sha] as [string, string]] : []),
  ];
  return [
    heading,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([key, value]) => `| ${key} | ${inlineCode(value, { inTable: true })} |`),
    `| Run | [${escapeCell(context.runUrl)}](${context.runUrl}) |`,
    '',
    'Reason:',
    '',
    fence(deployment.reason ?? 'no reason recorded'),
    ...(deployment.manualRollback ? ['', 'The rollback failed: production needs a hand. To roll back:', '', fence(deployment.manualRollback)] : []),
    '',
  ].join('\n');
}

/** Opens the alert issue, or comments on the open one; undefined when production did not go wrong, or GitHub refused. */
export async function raiseAlertIssue(api: GitHubApi, context: GitHubRunContext, deployment: Deployment, config: AlertIssueConfig): Promise<AlertIssue | undefined> {
  if (!productionWentWrong(deployment)) return undefined;
  const { owner, repo } = context;
  const prefix = titlePrefix(deployment.target);
  const outcome = deployment.result === 'rolled-back' ? 'rolled back' : 'failed';
  const raised = await api.attempt('alert issue', 'issues: write', async (octokit): Promise<AlertIssue> => {
    const open = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'open', labels: ALERT_LABEL, per_page: 100 });
    const existing = open.filter((issue) => !issue.pull_request && issue.title.startsWith(prefix)).sort((a, b) => a.number - b.number)[0];
    if (existing) {
      const heading = `**${escapeText(deployment.version)}** of **${escapeText(deployment.target)}** was ${outcome} in production again.`;
      const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: body(deployment, context, heading) });
      return { url: data.html_url, number: existing.number, action: 'commented' };
    }
    const heading = `meta-deploy ${outcome === 'rolled back' ? 'rolled back' : 'could not deploy'} **${escapeText(deployment.version)}** of **${escapeText(deployment.target)}** in production.`;
    const labels = [...new Set([ALERT_LABEL, ...config.labels])];
    const { data } = await octokit.rest.issues.create({ owner, repo, title: `${prefix}${outcome}`, body: body(deployment, context, heading), labels });
    return { url: data.html_url, number: data.number, action: 'opened' };
  });
  return raised.ok ? raised.value : undefined;
}
