// The placeholder values of one run in one environment; `${url}` is the environment's url with the others expanded.
// After a restore the values describe the restored release (restoredPlaceholders): that is the one rule every
// rollback follows, so its command and the checks that judge it see what now runs, not the release it replaced.
import type { EnvironmentConfig } from '../config/types.js';
import { expandText, type Placeholders } from '../exec/placeholders.js';

export interface RunValues {
  target: string;
  version: string;
  previousVersion?: string;
  sha?: string;
  snapshot?: string;
}

export function placeholdersFor(values: RunValues, environment?: EnvironmentConfig): Placeholders {
  const base: Placeholders = {
    target: values.target,
    version: values.version,
    environment: environment?.name ?? '',
    url: '',
    snapshot: values.snapshot ?? '',
    previous_version: values.previousVersion ?? '',
    sha: values.sha ?? '',
  };
  return { ...base, url: environment?.url ? expandText(environment.url, base) : '' };
}

/** What a restore puts back: the snapshot's id and, when known, the version it runs. */
export interface RestoredSnapshot {
  id: string;
  version?: string;
}

/** The version a restore puts back: the snapshot's version when known, else its id. */
export function restoredVersionOf(snapshot: RestoredSnapshot): string {
  return snapshot.version || snapshot.id;
}

/**
 * The placeholders once `snapshot` is restored over the release `replaced` describes: `${version}` is the restored
 * version (the snapshot's version when known, else its id), `${previous_version}` the release that was replaced,
 * `${snapshot}` the snapshot id, `${url}` re-expanded with these. `${sha}` is empty: the restored release's commit
 * is not known, and the replaced one's would be a lie.
 */
export function restoredPlaceholders(replaced: Placeholders, snapshot: RestoredSnapshot, environment: EnvironmentConfig): Placeholders {
  return placeholdersFor(
    { target: replaced.target, version: restoredVersionOf(snapshot), previousVersion: replaced.version, snapshot: snapshot.id },
    environment,
  );
}
