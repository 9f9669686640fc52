// Maps a config path to the line and column of its node in the YAML source, so every problem can say where it is.
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';
import type { PathSegment } from './config-path.js';

export interface SourcePosition {
  line: number;
  column: number;
}

/** Text to point at inside a scalar value (a placeholder in a URL), found in the file's source. */
export interface Needle {
  source: string;
  text: string;
}

/**
 * Position of the node at `path` (`anchor: 'key'`: of its key; with a needle, of the needle's first occurrence inside
 * the value, else of the value). When the path leaves the document (a missing key, a key brought in by a YAML merge),
 * the deepest node that exists stands in for it.
 */
export function locatePath(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  anchor: 'key' | 'value',
  needle?: Needle,
): SourcePosition {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const [index, segment] of path.entries()) {
    const current = isAlias(node) ? node.resolve(doc) : node;
    let next: Pair | Node | undefined;
    if (isMap(current)) {
      next = current.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
    } else if (isSeq(current) && typeof segment === 'number') {
      next = current.items[segment] as Node | undefined;
    }
    if (next === undefined) break;
    if (isPair(next)) {
      pair = next;
      const isLast = index === path.length - 1;
      if (isLast && anchor === 'key') return positionOf(next.key, lineCounter);
      // `key:` with nothing after it: the key is the best place to point at.
      node = isEmptyScalar(next.value) ? next.key : next.value;
    } else {
      pair = undefined;
      node = next;
    }
  }
  if (node === undefined || node === null) return pair ? positionOf(pair.key, lineCounter) : { line: 1, column: 1 };
  if (needle !== undefined && isScalar(node) && node.range) {
    const at = needle.source.indexOf(needle.text, node.range[0]);
    if (at !== -1 && at < node.range[1]) return locateOffset(lineCounter, at);
  }
  return positionOf(node, lineCounter);
}

/** Position of a character offset. */
export function locateOffset(lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function positionOf(node: unknown, lineCounter: LineCounter): SourcePosition {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? locateOffset(lineCounter, range[0]) : { line: 1, column: 1 };
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function isEmptyScalar(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null && !node.source);
}
