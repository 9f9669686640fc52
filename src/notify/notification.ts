// What a notification says, worked out once for every format: the event (finalize's success message or the engine's
// ALERT), built from the masked deployment because it leaves the machine, and the facts each format lays out in its
// own way (Slack blocks, a Teams card, the generic webhook's text).
import { formatDuration } from '../config/units.js';
import { maskDeep } from '../exec/mask.js';
import type { Deployment } from '../engine/model.js';
import { resultLabel } from '../report/deployment-facts.js';
import { STAGE_NAMES } from '../report/labels.js';

export interface NotificationEvent {
  /** `finished`: finalize's message of a healthy deployment; `alert`: a deployment that failed or was rolled back. */
  kind: 'finished' | 'alert';
  /** Masked, with its duration so far. */
  deployment: Deployment;
  /** The run's page, when the run is on GitHub Actions. */
  runUrl?: string;
}

export interface NotificationFacts {
  /** One line: "✅ web 1.3.0 deployed to staging and production", "🚨 ALERT: web 1.3.0 ROLLED BACK at Production". */
  title: string;
  /** Plain text for clients that show no formatting (notifications, chat previews). */
  text: string;
  tone: 'good' | 'warning' | 'attention';
  /** Target, version, previous, environments, result, duration; values are plain text. */
  fields: { label: string; value: string }[];
  /** On an ALERT: where it failed, why, and the command to run when the rollback itself failed. */
  alert?: { stage?: string; reason?: string; manualRollback?: string };
  runUrl?: string;
  deploymentId: string;
}

export interface EventSources {
  env: NodeJS.ProcessEnv;
  mask: (text: string) => string;
  /** Epoch ms, for the duration of a run still going (finalize notifies before the run ends). */
  now: number;
}

/** `https://github.com/owner/repo/actions/runs/123` from the runner's variables; undefined outside Actions. */
function actionsRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (!server || !repository || !runId) return undefined;
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}`;
}

export function notificationEvent(kind: NotificationEvent['kind'], deployment: Deployment, sources: EventSources): NotificationEvent {
  const masked = maskDeep(deployment, sources.mask);
  const durationMs = masked.durationMs ?? Math.max(0, sources.now - Date.parse(masked.startedAt));
  const runUrl = masked.github?.runUrl ?? actionsRunUrl(sources.env);
  return { kind, deployment: { ...masked, durationMs }, ...(runUrl ? { runUrl } : {}) };
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? 'no environment') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function describeNotification({ kind, deployment: d, runUrl }: NotificationEvent): NotificationFacts {
  const subject = `${d.target} ${d.version}`;
  const fields = [
    { label: 'Target', value: d.target },
    { label: 'Version', value: d.version },
    { label: 'Previous', value: d.previousVersion ?? 'none recorded' },
    { label: 'Environments', value: d.environments.join(', ') || 'none' },
    { label: 'Result', value: resultLabel(d) },
    { label: 'Duration', value: d.durationMs === undefined ? 'unknown' : formatDuration(d.durationMs) },
  ];
  const common = { fields, deploymentId: d.id, ...(runUrl ? { runUrl } : {}) };
  if (kind === 'finished') {
    const previous = d.previousVersion ? ` (previous ${d.previousVersion})` : '';
    return {
      ...common,
      title: `✅ ${subject} deployed to ${listed(d.environments)}`,
      text: `meta-deploy: ${subject} deployed to ${listed(d.environments)}${previous}`,
      tone: 'good',
    };
  }
  const stage = d.failedStage ? STAGE_NAMES[d.failedStage] : undefined;
  const where = stage ? ` at ${stage}` : '';
  const byHand = d.manualRollback === undefined ? '' : ' — roll back by hand';
  return {
    ...common,
    title: `🚨 ALERT: ${subject} ${resultLabel(d)}${where}${byHand}`,
    text: `ALERT: meta-deploy ${subject} ${resultLabel(d)}${where}: ${d.reason ?? 'no reason recorded'}`,
    tone: d.result === 'rolled-back' && d.manualRollback === undefined ? 'warning' : 'attention',
    alert: {
      ...(stage ? { stage } : {}),
      ...(d.reason === undefined ? {} : { reason: d.reason }),
      ...(d.manualRollback === undefined ? {} : { manualRollback: d.manualRollback }),
    },
  };
}

/** `text` cut to `max` UTF-16 units (what the chat services count, at most) with "…", never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}
