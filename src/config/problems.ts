// A mistake in the config file, located: what the user sees as `file:line:column: path: message`.
import type { PathSegment } from './config-path.js';

export interface ConfigProblem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Config path such as `environments.production.health.checks[1].timeout`; empty for file-level problems. */
  path: string;
  message: string;
}

/**
 * A problem found before it is located in the file. `key` points at the key of the last path segment (unknown or
 * misplaced keys); `value` at the node itself (for a missing key, the path is the parent mapping).
 */
export interface PathProblem {
  path: PathSegment[];
  anchor: 'key' | 'value';
  message: string;
  /** Text inside the value to point at (e.g. the unknown placeholder), when the value is a scalar that holds it. */
  needle?: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path === '' ? `${where}: ${problem.message}` : `${where}: ${problem.path}: ${problem.message}`;
}

/** By line, then column; problems on the same spot keep their order. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
