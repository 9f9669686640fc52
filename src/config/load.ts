// The config layer's entry: YAML text → schema → per-target merge → semantic rules → a resolved DeployConfig, or
// every problem found, each with file, line and column. Nothing is executed here.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { CONFIG_DEFAULTS } from './defaults.js';
import { ConfigNode } from './config-node.js';
import { formatConfigPath } from './config-path.js';
import { checkTarget } from './check-target.js';
import { describeSchemaErrors } from './describe-schema-errors.js';
import { locateOffset, locatePath } from './locate.js';
import { resolveTarget } from './resolve-target.js';
import { validateSchema } from './schema.js';
import { parseDuration } from './units.js';
import { sortProblems } from './problems.js';
import type { ConfigProblem, PathProblem } from './problems.js';
import type { DeployConfig, TargetConfig } from './types.js';

export type LoadResult = { ok: true; config: DeployConfig } | { ok: false; problems: ConfigProblem[] };

/** Reads and parses `file`. A missing or unreadable file is a problem at 1:1, not an exception. */
export async function loadConfig(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `config file not found (looked for ${path.resolve(file)})`
        : `cannot read the config file: ${code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`;
    return { ok: false, problems: [{ file, line: 1, column: 1, path: '', message }] };
  }
  return parseConfig(text, file);
}

/** Pure: `file` is only used to label problems and to set DeployConfig.file (resolved to an absolute path). */
export function parseConfig(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => ({
      file,
      ...locateOffset(lineCounter, syntaxErrorOffset(text, error)),
      path: '',
      message: `YAML syntax error: ${describeSyntaxError(error)}`,
    }));
    return { ok: false, problems: distinctSyntaxErrors(sortProblems(problems)) };
  }

  const locate = (problem: PathProblem): ConfigProblem => ({
    file,
    ...locatePath(doc, lineCounter, problem.path, problem.anchor, problem.needle === undefined ? undefined : { source: text, text: problem.needle }),
    path: formatConfigPath(problem.path),
    message: problem.message,
  });

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return fail([{ file, line: 1, column: 1, path: '', message: `YAML error: ${(error as Error).message}` }]);
  }
  if (value === null || value === undefined) {
    return fail([{ file, line: 1, column: 1, path: '', message: 'the config file is empty; it needs at least "version: 1" and an environment' }]);
  }

  const schemaErrors = validateSchema(value);
  if (schemaErrors.length > 0) return fail(describeSchemaErrors(schemaErrors, value).map(locate));

  const top = value as Record<string, unknown>;
  const targets = targetLayers(doc, top);
  const roots = targets.map(({ name, layer }) => ({
    name,
    root: new ConfigNode([{ value: withoutTargets(top), path: [] }, ...(layer ? [layer] : [])]),
  }));

  const problems = [...environmentProblems(roots, top), ...targetProblems(roots)];
  if (problems.length > 0) return fail(problems.map(locate));

  const resolved: Record<string, TargetConfig> = Object.create(null) as Record<string, TargetConfig>;
  for (const { name, root } of roots) resolved[name] = resolveTarget(name, root);
  return {
    ok: true,
    config: {
      file: path.resolve(file),
      stateDir: typeof top['state-dir'] === 'string' ? top['state-dir'] : CONFIG_DEFAULTS.stateDir,
      // The schema has checked it is a duration.
      lockTimeoutMs: top['lock-timeout'] === undefined ? CONFIG_DEFAULTS.lockTimeoutMs : parseDuration(top['lock-timeout'] as string | number)!,
      targetNames: targets.map(({ name }) => name),
      targets: resolved,
    },
  };
}

interface TargetLayer {
  name: string;
  /** The target's overrides; absent for `web: {}`, `web:` and the implicit default target. */
  layer?: { value: unknown; path: (string | number)[] };
}

/** Targets in the order they are written (object key order would put numeric names first). */
function targetLayers(doc: Document, top: Record<string, unknown>): TargetLayer[] {
  const written = top['targets'] as Record<string, unknown> | null | undefined;
  const node = doc.get('targets', true);
  const names = isMap(node)
    ? node.items.flatMap((item) => (isPair(item) && isScalar(item.key) ? [String(item.key.value)] : []))
    : [];
  // Keys brought in by a YAML merge (`<<: *base`) are not items of the map; keep them too, after the written ones.
  for (const name of Object.keys(written ?? {})) if (!names.includes(name)) names.push(name);
  const inherited = names.filter((name) => name !== '<<');
  if (inherited.length === 0) return [{ name: CONFIG_DEFAULTS.targetName }];
  return inherited.map((name) => {
    const overrides = written?.[name];
    return overrides === null || overrides === undefined
      ? { name }
      : { name, layer: { value: overrides, path: ['targets', name] } };
  });
}

function withoutTargets(top: Record<string, unknown>): Record<string, unknown> {
  const { targets: _targets, version: _version, 'state-dir': _stateDir, 'lock-timeout': _lockTimeout, ...sections } = top;
  return sections;
}

/** Every target needs an environment; one problem when none is configured anywhere, else one per target lacking. */
function environmentProblems(roots: { name: string; root: ConfigNode }[], top: Record<string, unknown>): PathProblem[] {
  const lacking = roots.filter(({ root }) => {
    const environments = root.child('environments');
    return !(environments?.has('staging') || environments?.has('production'));
  });
  const message = 'no environment configured: add environments.staging and/or environments.production';
  if (lacking.length === 0) return [];
  if (lacking.length === roots.length) {
    return [{ path: top['environments'] === undefined ? [] : ['environments'], anchor: 'value', message }];
  }
  return lacking.map(({ name }) => ({ path: ['targets', name], anchor: 'key', message }));
}

/**
 * checkTarget on every target, each problem once. A problem that only some targets have, at a place outside those
 * targets' own overrides (a top-level key their overrides made wrong), names the targets it applies to.
 */
function targetProblems(roots: { name: string; root: ConfigNode }[]): PathProblem[] {
  const found = new Map<string, { problem: PathProblem; targets: string[] }>();
  for (const { name, root } of roots) {
    for (const problem of checkTarget(root)) {
      const key = `${formatConfigPath(problem.path)}\u0000${problem.anchor}\u0000${problem.message}`;
      const entry = found.get(key) ?? { problem, targets: [] };
      if (!entry.targets.includes(name)) entry.targets.push(name);
      found.set(key, entry);
    }
  }
  return [...found.values()].map(({ problem, targets }) => {
    const inOwnTarget = problem.path[0] === 'targets';
    if (targets.length === roots.length || inOwnTarget) return problem;
    const names = targets.map((name) => JSON.stringify(name)).join(', ');
    return { ...problem, message: `${problem.message} (in target${targets.length > 1 ? 's' : ''} ${names})` };
  });
}

function fail(problems: ConfigProblem[]): LoadResult {
  return { ok: false, problems: sortProblems(problems) };
}

/**
 * Where to point for a YAML error. The parser reports an unclosed quote at the end of the file and bad indentation
 * at the start of the line; the opening quote and the first character of the line are what the user must fix.
 */
function syntaxErrorOffset(text: string, error: YAMLError): number {
  const offset = error.pos[0];
  const quote = /Missing closing (["'])quote/.exec(error.message)?.[1];
  if (quote !== undefined) {
    const opening = text.lastIndexOf(quote, Math.max(0, offset - 1));
    if (opening !== -1) return opening;
  }
  let next = offset;
  while (text[next] === ' ') next += 1;
  return text[next] === undefined || text[next] === '\n' ? offset : next;
}

/** Each syntax error once: the parser reports one unclosed collection per level at the same spot, and everything
 *  after a quote that is never closed is inside that string, so it is that one mistake only. */
function distinctSyntaxErrors(sorted: ConfigProblem[]): ConfigProblem[] {
  const unclosed = sorted.findIndex((problem) => problem.message.endsWith('-quoted string is never closed'));
  const kept = unclosed === -1 ? sorted : sorted.slice(0, unclosed + 1);
  return kept.filter((problem, index) => kept.findIndex((other) => other.line === problem.line && other.column === problem.column && other.message === problem.message) === index);
}

function describeSyntaxError(error: YAMLError): string {
  const quote = /Missing closing (["'])quote/.exec(error.message)?.[1];
  if (quote !== undefined) return `a ${quote}-quoted string is never closed`;
  return error.message.split('\n')[0] ?? error.message;
}
