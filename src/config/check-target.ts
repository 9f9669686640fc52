// Rules the schema cannot express, checked on one target's merged config: each provider has what it needs and
// nothing it would ignore, every gate has something to check, placeholders name real things, URLs and addresses have
// their shape, version ranges parse. Nothing here runs anything.
import semver from 'semver';
import type { PlaceholderName } from '../exec/placeholders.js';
import { formatDuration } from './units.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { checkAddress, sampleValues } from './check-address.js';
import { checkGateHasChecks, checkVerifyMeasures, GATE_CHECKS } from './check-evidence.js';
import { checkMetrics } from './check-metrics.js';
import { checkCommandPlaceholders, checkTextPlaceholders, type PlaceholderScope } from './check-placeholders.js';
import { parseCommandRequirement } from './command-requirement.js';
import type { ConfigNode } from './config-node.js';
import { formatConfigPath } from './config-path.js';
import type { PathProblem } from './problems.js';
import { looksLikeRuleId, SECRET_RULE_IDS } from './secret-rule-ids.js';
import { suggestKey } from './suggest-key.js';

const PROVIDER_KEYS = {
  command: ['deploy', 'rollback', 'snapshot'],
  local: ['path', 'keep'],
} as const;

const HTTP_ONLY_KEYS = ['status', 'contains', 'max-latency'] as const;

/** Prerequisites are checked in validate, before any environment: only the run's own values exist. */
const PREREQUISITES_SCOPE: PlaceholderScope = {
  allowed: ['target', 'version', 'previous_version', 'sha'] satisfies PlaceholderName[],
  reason: 'prerequisites are checked before any environment is deployed',
};

/** The uploaded artifact belongs to the whole run, not to one environment. */
const UPLOAD_NAME_SCOPE: PlaceholderScope = {
  allowed: ['target', 'version', 'previous_version', 'sha'] satisfies PlaceholderName[],
  reason: 'the uploaded artifact belongs to the run, not to one environment',
};

export function checkTarget(root: ConfigNode): PathProblem[] {
  const problems: PathProblem[] = [];
  const environments = root.child('environments');
  const production = environments?.child('production');
  const build = root.child('build');

  for (const name of ['staging', 'production'] as const) {
    const environment = environments?.child(name);
    if (environment === undefined) continue;
    problems.push(...checkEnvironment(environment, build));
    const poll = environment.child(GATE_CHECKS[name].key);
    if (poll !== undefined) {
      problems.push(...checkInterval(poll));
      problems.push(...checkChecks(poll.child('checks'), environment));
    }
    problems.push(...checkGateHasChecks(name, environment));
  }

  const verify = root.child('verify');
  if (verify !== undefined) {
    problems.push(...checkInterval(verify), ...checkLooksFit(verify));
    const samples = sampleValues(production?.child('url'));
    for (const probe of verify.child('probes')?.items() ?? []) {
      problems.push(...checkTextPlaceholders(probe, { environment: production }), ...checkAddress(probe, 'url', samples));
    }
    problems.push(...checkChecks(verify.child('smoke'), production));
    problems.push(...checkUniqueNames(verify.child('metrics')), ...checkMetrics(verify, production));
    problems.push(...checkVerifyMeasures(verify));
  }

  for (const entry of build?.child('secrets-allow')?.items() ?? []) problems.push(...checkSecretsAllow(entry));

  const tag = root.child('finalize')?.child('tag');
  if (tag !== undefined) problems.push(...checkTextPlaceholders(tag));
  const uploadName = root.child('build')?.child('upload')?.child('name');
  if (uploadName !== undefined) problems.push(...checkTextPlaceholders(uploadName, UPLOAD_NAME_SCOPE));

  const validate = root.child('validate');
  const tests = validate?.child('tests');
  const reviewChecks = validate?.child('review')?.child('checks');
  problems.push(...checkUniqueNames(tests), ...checkUniqueNames(reviewChecks));
  for (const step of [...(tests?.items() ?? []), ...(reviewChecks?.items() ?? [])]) problems.push(...checkCommand(step.child('run')));
  problems.push(...checkCommand(build?.child('run')));
  const prerequisites = validate?.child('prerequisites');
  for (const command of prerequisites?.child('commands')?.items() ?? []) problems.push(...checkCommandRequirement(command));
  for (const file of prerequisites?.child('files')?.items() ?? []) problems.push(...checkTextPlaceholders(file, PREREQUISITES_SCOPE));
  for (const target of prerequisites?.child('reachable')?.items() ?? []) {
    problems.push(...checkTextPlaceholders(target, PREREQUISITES_SCOPE), ...checkAddress(target, 'reachable', sampleValues()));
  }
  return problems;
}

function checkEnvironment(environment: ConfigNode, build: ConfigNode | undefined): PathProblem[] {
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
    for (const key of PROVIDER_KEYS.command) problems.push(...checkCommand(environment.child(key)));
  } else {
    if (!environment.has('path')) {
      problems.push({ ...here, message: 'the local provider needs "path": the directory that holds releases/ and the current symlink' });
    }
    if ((build?.child('artifacts')?.items().length ?? 0) === 0) {
      problems.push({
        ...here,
        message: 'the local provider deploys the build\'s artifacts, but build.artifacts is empty: list the files to ship (e.g. ["dist/**"])',
      });
    }
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
  const path = environment.child('path');
  if (path !== undefined) {
    problems.push(...checkTextPlaceholders(path, { allowed: [], reason: 'the releases directory is fixed; give each target its own path in targets.<name>' }));
  }
  const url = environment.child('url');
  if (url !== undefined) {
    const allowed = (['target', 'version', 'environment', 'snapshot', 'previous_version', 'sha'] as const) satisfies PlaceholderName[];
    problems.push(...checkTextPlaceholders(url, { allowed, reason: '${url} is this url' }), ...checkAddress(url, 'url', sampleValues()));
  }
  return problems;
}

function checkChecks(list: ConfigNode | undefined, environment: ConfigNode | undefined): PathProblem[] {
  if (list === undefined) return [];
  const problems = checkUniqueNames(list);
  const samples = sampleValues(environment?.child('url'));
  const scope = { environment };
  for (const check of list.items()) {
    const http = check.child('http');
    const tcp = check.child('tcp');
    const contains = check.child('contains');
    if (http !== undefined) problems.push(...checkTextPlaceholders(http, scope), ...checkAddress(http, 'url', samples));
    if (tcp !== undefined) problems.push(...checkTextPlaceholders(tcp, scope), ...checkAddress(tcp, 'tcp', samples));
    if (contains !== undefined && typeof contains.value === 'string') problems.push(...checkTextPlaceholders(contains, scope));
    problems.push(...checkCommand(check.child('run')));
    if (http !== undefined) continue;
    for (const key of HTTP_ONLY_KEYS) {
      const node = check.child(key);
      if (node !== undefined) problems.push({ path: node.path, anchor: 'key', message: `"${key}" applies only to http checks` });
    }
  }
  return problems;
}

function checkCommand(node: ConfigNode | undefined): PathProblem[] {
  return node === undefined ? [] : checkCommandPlaceholders(node);
}

function checkInterval(node: ConfigNode): PathProblem[] {
  const interval = node.child('interval');
  if (interval === undefined || node.duration('interval') !== 0) return [];
  return [{ path: interval.path, anchor: 'value', message: 'must be greater than 0' }];
}

/** Verify judges once per interval inside its window: an interval longer than the window leaves no look in it. */
function checkLooksFit(verify: ConfigNode): PathProblem[] {
  const interval = verify.duration('interval') ?? CONFIG_DEFAULTS.verify.intervalMs;
  const window = verify.duration('window') ?? CONFIG_DEFAULTS.verify.windowMs;
  if (interval <= window) return [];
  return [{ path: (verify.child('interval') ?? verify).path, anchor: 'value', message: `the interval (${formatDuration(interval)}) is longer than the window (${formatDuration(window)}): no look at the metrics would fall inside it` }];
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

/** A rule id in build.secrets-allow must be one the scan reports under: a misspelt one would allow nothing, silently. */
function checkSecretsAllow(entry: ConfigNode): PathProblem[] {
  const written = entry.asText();
  if (!looksLikeRuleId(written) || SECRET_RULE_IDS.includes(written)) return [];
  const suggestion = SECRET_RULE_IDS.find((id) => id.endsWith(`/${written}`)) ?? suggestKey(written, SECRET_RULE_IDS);
  return [
    {
      path: entry.path,
      anchor: 'value',
      message: `${JSON.stringify(written)} is not a rule of the secret scan${suggestion ? `: did you mean ${JSON.stringify(suggestion)}?` : ''} (rule ids: @secretlint/secretlint-rule-<name> of preset-recommend, or ${SECRET_RULE_IDS.at(-1)})`,
    },
  ];
}
