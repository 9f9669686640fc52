// A place in the config file, as segments (`['environments', 'production', 'health', 'checks', 1]`) and as the
// text every message shows (`environments.production.health.checks[1]`).

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

export function formatConfigPath(segments: readonly PathSegment[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
