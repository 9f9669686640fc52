import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMasker } from '../../src/exec/mask.js';
import type { Placeholders } from '../../src/exec/placeholders.js';
import { bracedNames, expandText, placeholderEnv, toShellCommand } from '../../src/exec/placeholders.js';
import { createProcessRunner } from '../../src/exec/run-command.js';

const placeholders: Placeholders = {
  target: 'web',
  version: '1.2.3',
  environment: 'staging',
  url: 'https://staging.example.com',
  snapshot: 'snap-1',
  previous_version: '1.2.2',
  sha: 'abc123',
};

describe('toShellCommand', () => {
  it.each([
    ['unquoted', 'deploy ${target}', 'deploy "${META_DEPLOY_TARGET}"'],
    ['inside double quotes', 'echo "v${version} ok"', 'echo "v${META_DEPLOY_VERSION} ok"'],
    ['inside single quotes', "echo 'at ${url}/x'", `echo 'at '"\${META_DEPLOY_URL}"'/x'`],
    ['inside $\'…\'', "echo $'a\\'${sha}'", `echo $'a\\''"\${META_DEPLOY_SHA}"$''`],
    ['inside a word', 'echo x-${version}-y', 'echo x-"${META_DEPLOY_VERSION}"-y'],
    ['every known name', '${environment} ${snapshot} ${previous_version}',
      '"${META_DEPLOY_ENVIRONMENT}" "${META_DEPLOY_SNAPSHOT_ID}" "${META_DEPLOY_PREVIOUS_VERSION}"'],
    ['unknown lowercase names stay', 'echo ${foo} ${target_x}', 'echo ${foo} ${target_x}'],
    ['shell variables stay', 'echo ${HOME} $target ${TARGET}', 'echo ${HOME} $target ${TARGET}'],
    ['parameter expansions of other forms stay', 'echo ${target:-x} ${#target}', 'echo ${target:-x} ${#target}'],
    ['an escaped dollar stays literal', 'echo \\${target}', 'echo \\${target}'],
    ['an escaped dollar inside double quotes stays literal', 'echo "\\${target}"', 'echo "\\${target}"'],
    ['an escaped quote does not open a string', "echo \\' ${target}", `echo \\' "\${META_DEPLOY_TARGET}"`],
    ['an escaped double quote inside "…" does not close it', 'echo "a\\" ${target}"', 'echo "a\\" ${META_DEPLOY_TARGET}"'],
    ['a double quote inside \'…\' is plain text', `echo '"' \${target}`, `echo '"' "\${META_DEPLOY_TARGET}"`],
    ['a single quote inside "…" is plain text', `echo "it's \${target}"`, `echo "it's \${META_DEPLOY_TARGET}"`],
    ['$( … ) inside "…" starts unquoted', 'echo "$(cat ${target})"', 'echo "$(cat "${META_DEPLOY_TARGET}")"'],
    ['back to "…" after $( … )', 'echo "$(a (b)) ${target}"', 'echo "$(a (b)) ${META_DEPLOY_TARGET}"'],
    ['backticks inside "…" start unquoted', 'echo "`cat ${target}`"', 'echo "`cat "${META_DEPLOY_TARGET}"`"'],
    ['a default inside a parameter expansion', 'echo ${X:-${target}}', 'echo ${X:-"${META_DEPLOY_TARGET}"}'],
    ['comments are left alone', "echo ${target} # it's\necho ${version}",
      `echo "\${META_DEPLOY_TARGET}" # it's\necho "\${META_DEPLOY_VERSION}"`],
    ['a # inside a word is not a comment', 'echo a#${target}', 'echo a#"${META_DEPLOY_TARGET}"'],
    ['unquoted heredoc body', "cat <<EOF\nit's ${target}\nEOF\necho ${version}",
      `cat <<EOF\nit's \${META_DEPLOY_TARGET}\nEOF\necho "\${META_DEPLOY_VERSION}"`],
    ['quoted heredoc body is literal', "cat <<'EOF'\n${target}\nEOF\necho ${version}",
      `cat <<'EOF'\n\${target}\nEOF\necho "\${META_DEPLOY_VERSION}"`],
    ['<<- heredoc with a tab-indented delimiter', 'cat <<-END\n\t${sha}\n\tEND\n${sha}',
      'cat <<-END\n\t${META_DEPLOY_SHA}\n\tEND\n"${META_DEPLOY_SHA}"'],
    ['here-string', 'cat <<< ${target}', 'cat <<< "${META_DEPLOY_TARGET}"'],
    ['a shift in $(( … )) is not a heredoc', "echo $((1<<2))\necho '${target}' \"${version}\"",
      `echo $((1<<2))\necho ''"\${META_DEPLOY_TARGET}"'' "\${META_DEPLOY_VERSION}"`],
    ['a shift in (( … )) is not a heredoc', "(( x = 1 << 3 ))\necho ${target}", '(( x = 1 << 3 ))\necho "${META_DEPLOY_TARGET}"'],
    ['a shift in a for (( … )) header', "for ((i=1; i<<1 < 8; i++)); do :; done\necho '${sha}'",
      `for ((i=1; i<<1 < 8; i++)); do :; done\necho ''"\${META_DEPLOY_SHA}"''`],
    ['parentheses inside $(( … )) close it at the right place', "echo $(( (1+2) << 1 )) ${target}\necho '${target}'",
      `echo $(( (1+2) << 1 )) "\${META_DEPLOY_TARGET}"\necho ''"\${META_DEPLOY_TARGET}"''`],
    ['no placeholders', 'npm ci && npm run build', 'npm ci && npm run build'],
  ])('%s', (_title, command, expected) => {
    expect(toShellCommand(command)).toBe(expected);
  });
});

describe('bracedNames', () => {
  it('lists the lowercase ${name}s a placeholder could stand in: quoted or not, not escaped, not in a quoted heredoc', () => {
    expect(bracedNames("echo ${a} \"${b}\" '${c}' \\${d} ${E} ${f:-x} $g ${h2}\ncat <<'EOF'\n${i}\nEOF\ncat <<EOF\n${j}\nEOF")).toEqual(
      ['a', 'b', 'c', 'h2', 'j'],
    );
  });
});

describe('expandText', () => {
  it('replaces known placeholders with their values and leaves the rest', () => {
    expect(expandText('${url}/healthz?v=${version}&h=${HOME}&x=${nope}', placeholders)).toBe(
      'https://staging.example.com/healthz?v=1.2.3&h=${HOME}&x=${nope}',
    );
    expect(expandText('v${version}', placeholders)).toBe('v1.2.3');
  });
});

describe('placeholderEnv', () => {
  it('maps every placeholder to its META_DEPLOY_* variable', () => {
    expect(placeholderEnv(placeholders)).toEqual({
      META_DEPLOY_TARGET: 'web',
      META_DEPLOY_VERSION: '1.2.3',
      META_DEPLOY_ENVIRONMENT: 'staging',
      META_DEPLOY_URL: 'https://staging.example.com',
      META_DEPLOY_SNAPSHOT_ID: 'snap-1',
      META_DEPLOY_PREVIOUS_VERSION: '1.2.2',
      META_DEPLOY_SHA: 'abc123',
    });
  });
});

describe('hostile placeholder values run through bash', () => {
  const hostile = [
    '$(touch PWNED)',
    '`touch PWNED`',
    '; touch PWNED',
    'a\ntouch PWNED',
    '"; touch PWNED; "',
    "' ; touch PWNED ; '",
    '$HOME',
    '*',
  ];
  const runner = createProcessRunner({ mask: createMasker([]) });
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), 'meta-deploy-placeholders-'));
    // Gives an unquoted `*` something to glob to, so a spliced value would show.
    await writeFile(path.join(cwd, 'a-file'), '');
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  const commands: [string, (value: string) => string][] = [
    ["printf '%s' ${target}", (value) => value],
    [`printf '%s' "\${target}"`, (value) => value],
    ["printf '%s' '${target}'", (value) => value],
    ["printf '%s' \"$(printf '%s' ${target})\"", (value) => value.replace(/\n+$/, '')],
    ["cat <<EOF\n${target}\nEOF", (value) => value],
    ['echo x-${version}-y', (value) => `x-${value}-y`],
    // After an arithmetic shift every later line keeps its quoting (the scanner once read `<<` as a heredoc here).
    ["echo $((1<<2))\nprintf '%s|' '${target}' \"${target}\" ${target}", (value) => `4\n${value}|${value}|${value}|`],
    ["(( n = 1 << 2 ))\nprintf '%s' \"$n:${target}\"", (value) => `4:${value}`],
  ];
  for (const value of hostile) {
    for (const [command, expected] of commands) {
      it(`keeps ${JSON.stringify(value)} as data in ${JSON.stringify(command)}`, async () => {
        const result = await runner({
          command: toShellCommand(command),
          cwd,
          env: placeholderEnv({ ...placeholders, target: value, version: value }),
          label: 'test',
        });
        expect(result.exitCode).toBe(0);
        expect(result.output).toBe(expected(value));
        expect(existsSync(path.join(cwd, 'PWNED'))).toBe(false);
      });
    }
  }
});
