// Rules the schema cannot express, checked on one target's merged config: each provider has what it needs and
// nothing it would ignore, placeholders name real things, version ranges parse. Nothing here runs anything.
import semver from 'semver';
import { PLACEHOLDER_NAMES } from '../exec/placeholders.js';
import { parseCommandRequirement } from './command-requirement.js';
import type { ConfigNode } from './config-node.js';
import { formatConfigPath } from './config-path.js';
import { suggestKey } from './suggest-key.js';
import type { PathProblem } from './problems.js';

const PROVIDER_KEYS = {
  command: ['deploy', 'rollback', 'snapshot'],
  local: ['path', 'keep'],
} as const;

const HTTP_ONLY_KEYS = ['status', 'contains', 'max-latency'] as const;

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const PLACEHOLDER_LIKE_NAME = /^[a-z_][a-z0-9_]*$/;

export function checkTarget(root: ConfigNode): PathProblem[] {
  const problems: PathProblem[] = [];
  const environments = root.child('environments');
  const production = environments?.child('production');

  for (const [name, pollKey] of [['staging', 'smoke'], ['production', 'health']] as const) {
    const environment = environments?.child(name);
    if (environment === undefined) continue;
    problems.push(...checkEnvironment(environment));
    const poll = environment.child(pollKey);
    if (poll !== undefined) {
      problems.push(...checkInterval(poll));
      problems.push(...checkChecks(poll.child('checks'), environment));
    }
  }

  const verify = root.child('verify');
  if (verify !== undefined) {
    problems.push(...checkInterval(verify));
    for (const probe of verify.child('probes')?.items() ?? []) problems.push(...checkPlaceholders(probe, production));
    problems.push(...checkChecks(verify.child('smoke'), production));
  }

  const tag = root.child('finalize')?.child('tag');
  if (tag !== undefined) problems.push(...checkPlaceholders(tag, undefined));

  const validate = root.child('validate');
  problems.push(...checkUniqueNames(validate?.child('tests')));
  problems.push(...checkUniqueNames(validate?.child('review')?.child('checks')));
  for (const command of validate?.child('prerequisites')?.child('commands')?.items() ?? []) {
    problems.push(...checkCommandRequirement(command));
  }
  return problems;
}

function checkEnvironment(environment: ConfigNode): PathProblem[] {
  const problems: PathProblem[] = [];
  const provider = environment.text('provider') ?? 'command';
  const here = { path: environment.path, anchor: 'value' as const };
  if (provider === 'command') {
    if (!environment.has('deploy')) {
      problems.push({ ...here, message: 'the command provider needs "deploy": the command that deploys this environment' });
    }
    if (!environment.has('rollback')) {
      problems.push({
        ...here,
        message: 'the command provider needs "rollback": without it a failed deploy cannot be rolled back automatically',
      });
    }
  } else if (!environment.has('path')) {
    problems.push({ ...here, message: 'the local provider needs "path": the directory that holds releases/ and the current symlink' });
  }
  for (const [owner, keys] of Object.entries(PROVIDER_KEYS)) {
    if (owner === provider) continue;
    for (const key of keys) {
      const node = environment.child(key);
      if (node === undefined) continue;
      problems.push({
        path: node.path,
        anchor: 'key',
        message: `"${key}" applies only to provider: ${owner} (this environment uses provider: ${provider})`,
      });
    }
  }
  const url = environment.child('url');
  if (url !== undefined) problems.push(...checkPlaceholders(url, undefined, ['url']));
  return problems;
}

function checkChecks(list: ConfigNode | undefined, environment: ConfigNode | undefined): PathProblem[] {
  if (list === undefined) return [];
  const problems = checkUniqueNames(list);
  for (const check of list.items()) {
    for (const kind of ['http', 'tcp'] as const) {
      const address = check.child(kind);
      if (address !== undefined) problems.push(...checkPlaceholders(address, environment));
    }
    if (check.has('http')) continue;
    for (const key of HTTP_ONLY_KEYS) {
      const node = check.child(key);
      if (node !== undefined) problems.push({ path: node.path, anchor: 'key', message: `"${key}" applies only to http checks` });
    }
  }
  return problems;
}

/**
 * Placeholders in text that is expanded as text (URLs, addresses, the tag): each must be a known name, and `${url}`
 * needs the environment it refers to to have a url. Commands are not checked: `${name}` there may be a shell variable.
 */
function checkPlaceholders(node: ConfigNode, environment: ConfigNode | undefined, excluded: readonly string[] = []): PathProblem[] {
  const problems: PathProblem[] = [];
  const known = PLACEHOLDER_NAMES.filter((name) => !excluded.includes(name));
  for (const match of node.asText().matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (excluded.includes(name)) {
      problems.push({ path: node.path, anchor: 'value', message: `\${${name}} cannot be used here` });
    } else if (PLACEHOLDER_LIKE_NAME.test(name) && !(known as readonly string[]).includes(name)) {
      const suggestion = suggestKey(name, known);
      const hint = suggestion
        ? `did you mean \${${suggestion}}?`
        : `known: ${known.map((known) => `\${${known}}`).join(', ')}`;
      problems.push({ path: node.path, anchor: 'value', message: `unknown placeholder \${${name}} (${hint})` });
    } else if (name === 'url' && environment !== undefined && !environment.has('url')) {
      problems.push({
        path: node.path,
        anchor: 'value',
        message: `uses \${url} but ${formatConfigPath(environment.path)} has no "url"`,
      });
    }
  }
  return problems;
}

function checkInterval(node: ConfigNode): PathProblem[] {
  const interval = node.child('interval');
  if (interval === undefined || node.duration('interval') !== 0) return [];
  return [{ path: interval.path, anchor: 'value', message: 'must be greater than 0' }];
}

function checkUniqueNames(list: ConfigNode | undefined): PathProblem[] {
  const problems: PathProblem[] = [];
  const seen = new Map<string, ConfigNode>();
  for (const item of list?.items() ?? []) {
    const name = item.child('name');
    if (name === undefined) continue;
    const earlier = seen.get(name.asText());
    if (earlier === undefined) seen.set(name.asText(), item);
    else {
      problems.push({
        path: name.path,
        anchor: 'value',
        message: `duplicate name ${JSON.stringify(name.asText())} (also ${formatConfigPath(earlier.path)})`,
      });
    }
  }
  return problems;
}

function checkCommandRequirement(node: ConfigNode): PathProblem[] {
  const { name, range } = parseCommandRequirement(node.asText());
  if (range === undefined || semver.validRange(range) !== null) return [];
  return [
    {
      path: node.path,
      anchor: 'value',
      message: `invalid version range ${JSON.stringify(range)} for ${name} (expected a semver range like ">=1.28" or "^2")`,
    },
  ];
}
