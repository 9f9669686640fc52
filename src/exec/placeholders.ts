// Placeholders (${target}, ${version}, …) and the security rule: in commands they become quoted references to
// META_DEPLOY_* variables, never spliced text. Implementation: see the exec helper's task (TODO replaced by helper).

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
