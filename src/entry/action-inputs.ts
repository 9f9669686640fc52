// Every core.getInput of the action, in one place, returning one typed settings object.
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';

export interface ActionSettings {
  workspace: string;
  configFile: string;
  target?: string;
  version?: string;
  environments?: string;
  dryRun: boolean;
  token?: string;
  comment: 'update' | 'off';
  ref?: string;
  sha?: string;
  /** Why GitHub features are skipped, or undefined when they can run. */
  githubUnavailable?: string;
}

function eventTarget(): string | undefined {
  // workflow_dispatch passes `target` as an input of the event; `with: target:` takes precedence.
  try {
    const event = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH ?? '', 'utf8')) as { inputs?: { target?: string } };
    return event.inputs?.target || undefined;
  } catch {
    return undefined;
  }
}

export function readActionSettings(): ActionSettings | { error: string } {
  const comment = core.getInput('comment') || 'update';
  if (comment !== 'update' && comment !== 'off') return { error: `input comment must be "update" or "off", got ${JSON.stringify(comment)}` };
  const dryRunText = core.getInput('dry-run') || 'false';
  if (!['true', 'false'].includes(dryRunText.toLowerCase())) return { error: `input dry-run must be true or false, got ${JSON.stringify(dryRunText)}` };
  const token = core.getInput('github-token') || undefined;
  const githubUnavailable = process.env.GITHUB_ACTIONS !== 'true' ? 'not running in GitHub Actions' : !token ? 'no github-token' : undefined;
  return {
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    configFile: core.getInput('config') || '.github/meta-deploy.yml',
    target: core.getInput('target') || eventTarget(),
    version: core.getInput('version') || undefined,
    environments: core.getInput('environments') || undefined,
    dryRun: dryRunText.toLowerCase() === 'true',
    token,
    comment,
    ref: process.env.GITHUB_REF,
    sha: process.env.GITHUB_SHA,
    githubUnavailable,
  };
}
