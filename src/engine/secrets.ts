// Which values must never appear in any output: declared credentials, notification URLs, the GitHub token, the
// Prometheus headers' values (and the credentials of `Bearer …`-style ones on their own), and the password of any URL
// written into the config (`http://deploy:s3cret@host/…` in an environment url, a check, a probe or a command).
import type { TargetConfig } from '../config/types.js';
import { webhookVariable } from '../notify/send-notification.js';

/** `scheme://user:password@` — the password part, as written. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:([^\s/@]+)@/gi;

function urlPasswords(value: unknown, found: string[]): string[] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(URL_PASSWORD)) {
      const written = match[1]!;
      found.push(written);
      try {
        const decoded = decodeURIComponent(written);
        if (decoded !== written) found.push(decoded);
      } catch {
        // Not percent-encoded as a URL would be: the written form is all there is.
      }
    }
  } else if (Array.isArray(value)) {
    for (const item of value) urlPasswords(item, found);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) urlPasswords(item, found);
  }
  return found;
}

export function secretsOf(config: TargetConfig, env: NodeJS.ProcessEnv, extra: (string | undefined)[] = []): string[] {
  const names = [
    ...config.validate.prerequisites.env,
    ...config.finalize.notify.map(webhookVariable),
  ];
  const headers = Object.values(config.verify?.prometheus?.headersEnv ?? {}).flatMap((name) => headerSecrets(env[name]));
  return [...names.map((name) => env[name]), ...headers, ...urlPasswords(config, []), ...extra].filter((value): value is string => Boolean(value));
}

/** `Bearer abc123`: the whole value, and `abc123` alone (it can be printed without its scheme). */
function headerSecrets(value: string | undefined): string[] {
  const credentials = value === undefined ? undefined : /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(value)?.[1];
  return [value, credentials].filter((secret): secret is string => Boolean(secret));
}
