// A prerequisite command as written (`"kubectl >=1.28"`): an executable name and an optional semver range.
import type { CommandRequirement } from './types.js';

export function parseCommandRequirement(raw: string): CommandRequirement {
  const trimmed = raw.trim();
  const space = trimmed.search(/\s/);
  if (space === -1) return { name: trimmed, raw };
  return { name: trimmed.slice(0, space), range: trimmed.slice(space).trim(), raw };
}
