// Which values must never appear in any output: declared credentials, notification URLs and the GitHub token.
import type { TargetConfig } from '../config/types.js';

export function secretsOf(config: TargetConfig, env: NodeJS.ProcessEnv, extra: (string | undefined)[] = []): string[] {
  const names = [
    ...config.validate.prerequisites.env,
    ...config.finalize.notify.map((notify) => (notify.kind === 'slack' ? notify.webhookEnv : notify.urlEnv)),
  ];
  return [...names.map((name) => env[name]), ...extra].filter((value): value is string => Boolean(value));
}
