// The rule ids the secret scan reports findings under, for `build.secrets-allow`: those of
// @secretlint/secretlint-rule-preset-recommend 13.1.0 (its filter-comments rule reports nothing) and meta-deploy's own
// for the values of declared credentials. Listed here so that checking a config loads no scanner; a test compares
// the list with the preset's, so an upgrade brings it back for review.
export const SECRET_RULE_IDS = [
  ...['aws', 'gcp', 'privatekey', 'npm', 'basicauth', 'slack', 'sendgrid', 'shopify', 'stripe', 'github', 'gitlab', 'grafana', 'openai', 'anthropic', 'groq', 'huggingface', 'linear', 'notion', '1password', 'database-connection-string', 'hashicorp-vault', 'vercel', 'databricks', 'docker', 'figma', 'cloudflare', 'tailscale'].map(
    (name) => `@secretlint/secretlint-rule-${name}`,
  ),
  'meta-deploy/declared-credential',
];

/** An entry of `build.secrets-allow` meant as a rule id rather than a path glob: no glob characters, and the shape of
 *  one (`node_modules/@secretlint/secretlint-rule-aws/**` is a path). */
export function looksLikeRuleId(entry: string): boolean {
  return /^(?:(?:@secretlint\/)?secretlint-rule-[\w-]+|meta-deploy\/[\w-]+)$/.test(entry);
}
