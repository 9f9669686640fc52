// secretlint with its recommended rules (AWS key ids on), as a scanner of text windows. The AWS rule alone costs a
// third of a scan (its account-id pattern has no fixed start, so it is tried at every character), so it only runs on
// windows that contain a string every one of its patterns needs; the other rules run on every window.
import type { TextWindow } from './text-windows.js';

export interface WindowMatch {
  index: number;
  length: number;
  rule: string;
}

export interface WindowScanner {
  /** "secretlint 13.1.0 (preset-recommend)" */
  name: string;
  scan(window: TextWindow): Promise<WindowMatch[]>;
}

export const AWS_RULE = '@secretlint/secretlint-rule-aws';

/** Written for @secretlint/secretlint-rule-preset-recommend 13.1.0, whose AWS rule has three patterns, all case-
 *  sensitive: an access key id starts with one of these nine prefixes, a secret access key follows SECRET, secret or
 *  Secret, an account id follows ACCOUNT, account or Account. A window without any of them cannot match. A test
 *  pins the preset's version, so an upgrade brings this list back for review. */
export const AWS_ANCHORS = /A3T|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|SECRET|[Ss]ecret|ACCOUNT|[Aa]ccount/;

/** Loads secretlint (large: only when there is something to scan). */
export async function loadSecretlint(): Promise<WindowScanner> {
  const [{ lintSource }, { secretLintProfiler }, { creator }, { default: core }] = await Promise.all([
    import('@secretlint/core'),
    import('@secretlint/profiler'),
    import('@secretlint/secretlint-rule-preset-recommend'),
    import('@secretlint/core/package.json', { with: { type: 'json' } }),
  ]);
  // The profiler is on by default and keeps every performance mark of every call: scanning slows down as it goes
  // (a linear search over them per mark) and memory grows with the number of windows scanned.
  secretLintProfiler.setEnabled(false);
  const rules = creator.rules.map((rule) => ({ id: rule.meta.id, rule, options: rule.meta.id === AWS_RULE ? { enableIDScanRule: true } : {} }));
  const everyRule = { rules };
  const withoutAws = { rules: rules.filter((rule) => rule.id !== AWS_RULE) };
  return {
    name: `secretlint ${core.version} (preset-recommend)`,
    async scan(window) {
      const config = AWS_ANCHORS.test(window.text) ? everyRule : withoutAws;
      const result = await lintSource({
        source: { filePath: 'artifact', content: window.text, contentType: 'text', ext: '' },
        options: { config, noPhysicFilePath: true },
      });
      // secretlint drops a U+FEFF that starts its text, and counts from the character after it.
      const shift = window.text.charCodeAt(0) === 0xfeff ? 1 : 0;
      return result.messages.map((message) => ({ index: message.range[0] + shift, length: message.range[1] - message.range[0], rule: message.ruleId }));
    },
  };
}
