// Placeholders (${target}, ${version}, …) and the security rule: in commands they become quoted references to
// META_DEPLOY_* variables, never spliced text, so a hostile value is data to bash and never code.

export const PLACEHOLDER_NAMES = ['target', 'version', 'environment', 'url', 'snapshot', 'previous_version', 'sha'] as const;
export type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];
export type Placeholders = Record<PlaceholderName, string>;

/** The variable each placeholder maps to in a command's environment. */
export const PLACEHOLDER_VARIABLES: Record<PlaceholderName, string> = {
  target: 'META_DEPLOY_TARGET',
  version: 'META_DEPLOY_VERSION',
  environment: 'META_DEPLOY_ENVIRONMENT',
  url: 'META_DEPLOY_URL',
  snapshot: 'META_DEPLOY_SNAPSHOT_ID',
  previous_version: 'META_DEPLOY_PREVIOUS_VERSION',
  sha: 'META_DEPLOY_SHA',
};

/** A braced lowercase name: a placeholder, or a variable of the user's own. */
const BRACED_NAME = /\$\{([a-z_][a-z0-9_]*)\}/y;

function isPlaceholderName(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDER_VARIABLES, name);
}

/** Placeholders some commands have beyond the run's own (a metric command's window bounds), each with its variable. */
export type ExtraVariables = Readonly<Record<string, string>>;

/** The META_DEPLOY_* variables a command needs for the references toShellCommand writes. */
export function placeholderEnv(p: Placeholders): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PLACEHOLDER_NAMES) env[PLACEHOLDER_VARIABLES[name]] = p[name];
  return env;
}

/** Replaces known placeholders in text that no shell reads (URLs, tag names); unknown ones stay as written. */
export function expandText(template: string, p: Placeholders): string {
  return template.replace(/\$\{([a-z_]+)\}/g, (whole, name: string) => (isPlaceholderName(name) ? p[name] : whole));
}

// Where the scanner is in bash's grammar. `unquoted` is the top level, or the inside of $( … ) / ` … `
// (which start a fresh quoting context even inside double quotes); `depth` counts open parentheses there.
// `arithmetic` marks the inside of $(( … )) and (( … )), where `<<` is a left shift, not a heredoc.
type Context =
  | { kind: 'unquoted'; closer: ')' | '`' | null; depth: number; arithmetic?: boolean }
  | { kind: 'double' }
  | { kind: 'single' }
  | { kind: 'ansi' };

interface Heredoc {
  delimiter: string;
  /** `<<'EOF'`: the body is literal, bash expands nothing in it. */
  quoted: boolean;
  /** `<<-EOF`: leading tabs are stripped, also before the closing delimiter. */
  stripTabs: boolean;
}

/**
 * Rewrites each known `${name}` (a placeholder, or a name of `extra`) into a reference to its variable, quoted for the context it
 * stands in: unquoted → `"${V}"`, inside "…" → `${V}`, inside '…' → `'"${V}"'` (close, insert, reopen),
 * inside $'…' → `'"${V}"$'`, in an unquoted heredoc body → `${V}`. Bash expands a variable once and never
 * parses its value as code, so the value cannot escape. Unknown names and `${HOME}`-style variables are the
 * user's own shell variables and stay as written; so do escaped `\${name}` and placeholders in a quoted heredoc
 * (bash would not expand there either). Only `eval`, `bash -c "…"` and arithmetic re-parse a value; a command
 * that does that with a placeholder chose to.
 */
export function toShellCommand(command: string, extra: ExtraVariables = {}): string {
  return scanCommand(command, (name, where) => {
    const variable = isPlaceholderName(name) ? PLACEHOLDER_VARIABLES[name] : Object.hasOwn(extra, name) ? extra[name] : undefined;
    if (variable === undefined) return undefined;
    const ref = `\${${variable}}`;
    switch (where) {
      case 'unquoted':
        return `"${ref}"`;
      case 'single':
        return `'"${ref}"'`;
      case 'ansi':
        return `'"${ref}"$'`;
      default:
        return ref;
    }
  });
}

/**
 * Every lowercase `${name}` in a command where toShellCommand would fill a placeholder of that name: not escaped,
 * not in a quoted heredoc. The config check uses it to catch a misspelt placeholder.
 */
export function bracedNames(command: string): string[] {
  const names: string[] = [];
  scanCommand(command, (name) => {
    names.push(name);
    return undefined;
  });
  return names;
}

type Where = Context['kind'] | 'heredoc';

/** Walks bash's quoting contexts; each braced lowercase name is offered to `visit`, whose answer replaces it. */
function scanCommand(command: string, visit: (name: string, where: Where) => string | undefined): string {
  const out: string[] = [];
  const stack: Context[] = [{ kind: 'unquoted', closer: null, depth: 0 }];
  const pending: Heredoc[] = [];
  let i = 0;

  const top = (): Context => stack[stack.length - 1] as Context;
  const emit = (text: string): void => {
    out.push(text);
    i += text.length;
  };

  while (i < command.length) {
    const context = top();
    const ch = command[i] as string;
    const next = command[i + 1];

    const variable = readBracedName(command, i);
    const replacement = variable === undefined ? undefined : visit(variable.name, context.kind);
    if (variable !== undefined && replacement !== undefined) {
      out.push(replacement);
      i += variable.length;
      continue;
    }

    switch (context.kind) {
      case 'single':
        if (ch === "'") stack.pop();
        emit(ch);
        break;
      case 'ansi':
        if (ch === '\\') emit(command.slice(i, i + 2));
        else {
          if (ch === "'") stack.pop();
          emit(ch);
        }
        break;
      case 'double':
        if (ch === '\\') emit(command.slice(i, i + 2));
        else if (ch === '"') {
          stack.pop();
          emit(ch);
        } else if (ch === '$' && next === '(') {
          stack.push({ kind: 'unquoted', closer: ')', depth: 0 });
          emit('$(');
        } else if (ch === '`') {
          stack.push({ kind: 'unquoted', closer: '`', depth: 0 });
          emit(ch);
        } else emit(ch);
        break;
      case 'unquoted':
        if (ch === '\\') emit(command.slice(i, i + 2));
        else if (ch === "'") {
          stack.push({ kind: 'single' });
          emit(ch);
        } else if (ch === '"') {
          stack.push({ kind: 'double' });
          emit(ch);
        } else if (ch === '$' && next === "'") {
          stack.push({ kind: 'ansi' });
          emit("$'");
        } else if (ch === '$' && command.startsWith('$((', i)) {
          stack.push({ kind: 'unquoted', closer: ')', depth: 1, arithmetic: true });
          emit('$((');
        } else if (ch === '(' && next === '(' && startsWord(command, i)) {
          stack.push({ kind: 'unquoted', closer: ')', depth: 1, arithmetic: true });
          emit('((');
        } else if (ch === '$' && next === '(') {
          stack.push({ kind: 'unquoted', closer: ')', depth: 0 });
          emit('$(');
        } else if (ch === '`') {
          if (context.closer === '`') stack.pop();
          else stack.push({ kind: 'unquoted', closer: '`', depth: 0 });
          emit(ch);
        } else if (ch === '(') {
          context.depth++;
          emit(ch);
        } else if (ch === ')') {
          if (context.depth > 0) context.depth--;
          else if (context.closer === ')') stack.pop();
          emit(ch);
        } else if (ch === '#' && startsWord(command, i)) {
          const end = command.indexOf('\n', i);
          emit(end === -1 ? command.slice(i) : command.slice(i, end));
        } else if (ch === '<' && (command.startsWith('<<<', i) || (context.arithmetic && next === '<'))) {
          emit(context.arithmetic ? '<<' : '<<<');
        } else if (ch === '<' && next === '<') {
          const heredoc = readHeredocOperator(command, i);
          pending.push(heredoc.heredoc);
          emit(command.slice(i, i + heredoc.length));
        } else if (ch === '\n' && pending.length > 0) {
          emit('\n');
          for (const heredoc of pending.splice(0)) {
            const body = rewriteHeredocBody(command, i, heredoc, visit);
            out.push(body.text);
            i = body.end;
          }
        } else emit(ch);
        break;
    }
  }
  return out.join('');
}

function readBracedName(text: string, at: number): { name: string; length: number } | undefined {
  if (text[at] !== '$' || text[at + 1] !== '{') return undefined;
  BRACED_NAME.lastIndex = at;
  const match = BRACED_NAME.exec(text);
  const name = match?.[1];
  if (match === null || name === undefined) return undefined;
  return { name, length: match[0].length };
}

// Bash starts a comment only at the beginning of a word.
function startsWord(text: string, at: number): boolean {
  return at === 0 || /[\s;&|()]/.test(text[at - 1] as string);
}

function readHeredocOperator(text: string, at: number): { heredoc: Heredoc; length: number } {
  let j = at + 2;
  const stripTabs = text[j] === '-';
  if (stripTabs) j++;
  while (text[j] === ' ' || text[j] === '\t') j++;
  let delimiter = '';
  let quoted = false;
  let quote: string | null = null;
  for (; j < text.length; j++) {
    const c = text[j] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
      else delimiter += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      quoted = true;
    } else if (c === '\\') {
      quoted = true;
      j++;
      delimiter += text[j] ?? '';
    } else if (/[\s;&|()<>]/.test(c)) break;
    else delimiter += c;
  }
  return { heredoc: { delimiter, quoted, stripTabs }, length: j - at };
}

// An unquoted heredoc body expands like "…" but quote characters in it are plain text.
function rewriteHeredocBody(text: string, start: number, heredoc: Heredoc, visit: (name: string, where: Where) => string | undefined): { text: string; end: number } {
  const out: string[] = [];
  let i = start;
  while (i < text.length) {
    const newline = text.indexOf('\n', i);
    const end = newline === -1 ? text.length : newline + 1;
    const line = text.slice(i, end);
    const bare = line.replace(/\n$/, '');
    if ((heredoc.stripTabs ? bare.replace(/^\t+/, '') : bare) === heredoc.delimiter) {
      out.push(line);
      return { text: out.join(''), end };
    }
    out.push(heredoc.quoted ? line : rewriteHeredocLine(line, visit));
    i = end;
  }
  return { text: out.join(''), end: i };
}

function rewriteHeredocLine(line: string, visit: (name: string, where: Where) => string | undefined): string {
  let out = '';
  for (let i = 0; i < line.length; ) {
    if (line[i] === '\\') {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    const variable = readBracedName(line, i);
    const replacement = variable === undefined ? undefined : visit(variable.name, 'heredoc');
    if (variable !== undefined && replacement !== undefined) {
      out += replacement;
      i += variable.length;
    } else {
      out += line[i];
      i++;
    }
  }
  return out;
}
