// A view of one target's config: the top-level sections with the target's overrides merged over them, lazily, so
// that every value still knows where in the file it came from. Mappings merge key by key; lists and scalars from
// the later layer replace the earlier ones. Values are schema-checked before they get here, so a wrong type is a bug.
import { parseDuration, parseSize } from './units.js';
import type { PathSegment } from './config-path.js';

export interface ConfigLayer {
  value: unknown;
  /** Where `value` sits in the file. */
  path: PathSegment[];
}

export class ConfigNode {
  private readonly layers: ConfigLayer[];

  /** Later layers win. Layers whose value is null or undefined are dropped (`web:` means "no overrides"). */
  constructor(layers: ConfigLayer[]) {
    const present = layers.filter((layer) => layer.value !== undefined && layer.value !== null);
    if (present.length === 0) throw new Error('ConfigNode needs at least one present layer');
    this.layers = present;
  }

  /** The winning value; for a mapping, only the last layer's (use child() to read merged keys). */
  get value(): unknown {
    return this.last.value;
  }

  /** Where this node is written: a mapping is named after its first definition, anything else after the winner. */
  get path(): PathSegment[] {
    const first = this.layers[0];
    return isMapping(this.value) && first ? first.path : this.last.path;
  }

  has(key: string): boolean {
    return this.child(key) !== undefined;
  }

  child(key: string): ConfigNode | undefined {
    const candidates: ConfigLayer[] = [];
    for (const layer of this.mergedLayers()) {
      const value = (layer.value as Record<string, unknown>)[key];
      if (value !== undefined && value !== null && Object.hasOwn(layer.value as object, key)) {
        candidates.push({ value, path: [...layer.path, key] });
      }
    }
    return candidates.length === 0 ? undefined : new ConfigNode(candidates);
  }

  /** Items of a list (the winning layer's list; lists never merge). */
  items(): ConfigNode[] {
    const list = this.value;
    if (!Array.isArray(list)) throw new Error(`${this.describe()} is not a list`);
    return list.map((item, index) => new ConfigNode([{ value: item, path: [...this.last.path, index] }]));
  }

  text(key: string): string | undefined {
    return this.read(key, (value) => (typeof value === 'string' ? value : undefined), 'text');
  }

  number(key: string): number | undefined {
    return this.read(key, (value) => (typeof value === 'number' ? value : undefined), 'a number');
  }

  flag(key: string): boolean | undefined {
    return this.read(key, (value) => (typeof value === 'boolean' ? value : undefined), 'a boolean');
  }

  /** Milliseconds. */
  duration(key: string): number | undefined {
    return this.read(key, (value) => (typeof value === 'string' || typeof value === 'number' ? parseDuration(value) : undefined), 'a duration');
  }

  /** Bytes. */
  size(key: string): number | undefined {
    return this.read(key, (value) => (typeof value === 'string' || typeof value === 'number' ? parseSize(value) : undefined), 'a size');
  }

  texts(key: string): string[] {
    return this.child(key)?.items().map((item) => item.asText()) ?? [];
  }

  asText(): string {
    if (typeof this.value !== 'string') throw new Error(`${this.describe()} is not text`);
    return this.value;
  }

  private read<T>(key: string, convert: (value: unknown) => T | undefined, expected: string): T | undefined {
    const node = this.child(key);
    if (node === undefined) return undefined;
    const converted = convert(node.value);
    if (converted === undefined) throw new Error(`${node.describe()} is not ${expected}`);
    return converted;
  }

  /** The trailing run of mapping layers: a non-mapping layer hides everything before it. */
  private mergedLayers(): ConfigLayer[] {
    const run: ConfigLayer[] = [];
    for (let index = this.layers.length - 1; index >= 0; index -= 1) {
      const layer = this.layers[index];
      if (layer === undefined || !isMapping(layer.value)) break;
      run.unshift(layer);
    }
    return run;
  }

  private get last(): ConfigLayer {
    const layer = this.layers.at(-1);
    if (layer === undefined) throw new Error('unreachable: ConfigNode without layers');
    return layer;
  }

  private describe(): string {
    return `config value at ${JSON.stringify(this.last.path)}`;
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
