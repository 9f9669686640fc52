// Placeholders in config values, checked before anything runs. In text fields (URLs, addresses, `contains`, the tag,
// prerequisites) every `${…}` must be a placeholder that has a value there: nothing else is filled in, so anything
// else would be sent as written. In commands bash expands `${…}` too, so only a lowercase `${name}` that is neither a
// placeholder nor a variable the command sets itself is flagged (a misspelt placeholder like `${verison}`).
import { bracedNames, PLACEHOLDER_NAMES, type PlaceholderName } from '../exec/placeholders.js';
import type { ConfigNode } from './config-node.js';
import { formatConfigPath } from './config-path.js';
import type { PathProblem } from './problems.js';
import { suggestKey } from './suggest-key.js';

export interface PlaceholderScope {
  /** The placeholders that have a value in this field (default: all). */
  allowed?: readonly PlaceholderName[];
  /** Why the others have none, e.g. "prerequisites are checked before any environment". */
  reason?: string;
  /** The environment `${url}` refers to here; its url must exist. */
  environment?: ConfigNode;
  /** Names filled in here besides the placeholders, e.g. a query's `${interval}`. */
  extra?: readonly string[];
}

const ANY_BRACED = /\$\{([^}]*)\}/g;
const LOWERCASE_NAME = /^[a-z_][a-z0-9_]*$/;
/** Lowercase variables a command reads without setting them: bash's `${_}` and the proxy settings. */
const SET_ELSEWHERE = ['_', 'http_proxy', 'https_proxy', 'no_proxy', 'ftp_proxy', 'all_proxy'];

export function checkTextPlaceholders(node: ConfigNode, scope: PlaceholderScope = {}): PathProblem[] {
  const allowed = [...(scope.allowed ?? PLACEHOLDER_NAMES), ...(scope.extra ?? [])];
  const problems: PathProblem[] = [];
  const at = (needle: string, message: string): PathProblem => ({ path: node.path, anchor: 'value', needle, message });
  for (const [whole, name = ''] of node.asText().matchAll(ANY_BRACED)) {
    if (allowed.includes(name)) {
      if (name === 'url' && scope.environment !== undefined && !scope.environment.has('url')) {
        problems.push(at(whole, `uses \${url} but ${formatConfigPath(scope.environment.path)} has no "url"`));
      }
    } else if ((PLACEHOLDER_NAMES as readonly string[]).includes(name)) {
      problems.push(at(whole, `\${${name}} cannot be used here${scope.reason ? ` (${scope.reason})` : ''}`));
    } else if (LOWERCASE_NAME.test(name)) {
      problems.push(at(whole, `unknown placeholder ${whole} (${hint(name, allowed)})`));
    } else {
      problems.push(at(whole, `${whole} is not a placeholder, and nothing else is filled in here (${hint(name, allowed)})`));
    }
  }
  return problems;
}

/**
 * Unknown lowercase `${name}`s where a placeholder would be filled (not escaped, not in a quoted heredoc), unless the
 * command sets `name` itself (`name=`, `for name in`, `read name`…). `extra`: names filled in there besides the placeholders.
 */
export function checkCommandPlaceholders(node: ConfigNode, extra: readonly string[] = []): PathProblem[] {
  const command = node.asText();
  const known = [...PLACEHOLDER_NAMES, ...extra];
  const problems: PathProblem[] = [];
  for (const name of new Set(bracedNames(command))) {
    if (known.includes(name) || SET_ELSEWHERE.includes(name)) continue;
    if (setsVariable(command, name)) continue;
    const whole = `\${${name}}`;
    problems.push({
      path: node.path,
      anchor: 'value',
      needle: whole,
      message:
        `unknown placeholder ${whole} (${hint(name, known)}); ` +
        `a shell variable must be set in this command, or be written $${name}`,
    });
  }
  return problems;
}

function hint(name: string, allowed: readonly string[]): string {
  const suggestion = suggestKey(name, allowed);
  return suggestion ? `did you mean \${${suggestion}}?` : `placeholders here: ${allowed.map((known) => `\${${known}}`).join(', ')}`;
}

/** The command assigns `name`: `name=…`, `name+=…`, `name[i]=…`, `(( name … ))`, `for name in`, `select name`,
 *  `read … name`, `local/declare/typeset/export/readonly … name`, `mapfile/readarray … name`, `getopts … name`. */
function setsVariable(command: string, name: string): boolean {
  return [
    new RegExp(`(?:^|[\\s;&|(){}])${name}(?:\\[[^\\]]*\\])?\\+?=`),
    new RegExp(`\\(\\([^)]*\\b${name}\\b`),
    new RegExp(`\\b(?:for|select)\\s+${name}\\b`),
    new RegExp(`\\b(?:read|local|declare|typeset|export|readonly|mapfile|readarray|getopts)\\b[^;&|\\n]*\\s${name}\\b`),
  ].some((pattern) => pattern.test(command));
}
