// JUnit XML (the format most test runners can write) → pass/fail/skip counts for the validation table.
// Counts the <testcase> elements wherever they sit (Node's reporter puts them straight under <testsuites>, others
// nest suites); only when a file has no test cases are the suites' own attributes used.
import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';

export interface JunitCounts {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
}

type Element = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => name === 'testsuite' || name === 'testcase',
});

function children(element: Element, name: string): Element[] {
  const value = element[name];
  // An empty `<testcase/>` parses as "", not an object.
  return Array.isArray(value) ? value.map((child) => (typeof child === 'object' && child !== null ? (child as Element) : {})) : [];
}

function collectCases(element: Element): Element[] {
  return [...children(element, 'testcase'), ...children(element, 'testsuite').flatMap(collectCases)];
}

/** Suites that carry their own counts: a suite without a `tests` attribute only groups its children. */
function countedSuites(suites: Element[]): Element[] {
  return suites.flatMap((suite) => {
    const nested = children(suite, 'testsuite');
    return nested.length && suite['@tests'] === undefined ? countedSuites(nested) : [suite];
  });
}

function suiteAttributes(suites: Element[]): Omit<JunitCounts, 'passed'> {
  const number = (suite: Element, name: string) => Number(suite[`@${name}`] ?? 0);
  return countedSuites(suites).reduce<Omit<JunitCounts, 'passed'>>(
    (sum, suite) => ({
      tests: sum.tests + number(suite, 'tests'),
      failed: sum.failed + number(suite, 'failures') + number(suite, 'errors'),
      skipped: sum.skipped + number(suite, 'skipped') + number(suite, 'disabled'),
    }),
    { tests: 0, failed: 0, skipped: 0 },
  );
}

export function parseJunit(xml: string): JunitCounts | { error: string } {
  let document: Element;
  try {
    document = parser.parse(xml, true) as Element;
  } catch (error) {
    return { error: `not valid XML: ${(error as Error).message.split('\n')[0]}` };
  }
  const root = (document.testsuites as Element | undefined) ?? document;
  if (typeof root !== 'object' || (!('testsuite' in root) && !('testcase' in root))) return { error: 'no <testsuite> or <testcase> element' };
  const cases = collectCases(root);
  const total = cases.length
    ? {
        tests: cases.length,
        failed: cases.filter((testCase) => 'failure' in testCase || 'error' in testCase).length,
        skipped: cases.filter((testCase) => 'skipped' in testCase).length,
      }
    : suiteAttributes(children(root, 'testsuite'));
  if ([total.tests, total.failed, total.skipped].some((n) => !Number.isFinite(n))) return { error: 'counts are not numbers' };
  return { ...total, passed: Math.max(0, total.tests - total.failed - total.skipped) };
}

export async function readJunit(file: string): Promise<JunitCounts | { error: string }> {
  let xml: string;
  try {
    xml = await readFile(file, 'utf8');
  } catch {
    return { error: `${file} was not written` };
  }
  return parseJunit(xml);
}
