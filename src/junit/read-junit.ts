// JUnit XML (the format most test runners can write) → pass/fail/skip counts for the validation table.
import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';

export interface JunitCounts {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' });

type Suite = { tests?: string; failures?: string; errors?: string; skipped?: string; disabled?: string; testcase?: unknown[]; testsuite?: Suite[] };

function countSuite(suite: Suite): Omit<JunitCounts, 'passed'> {
  // Nested suites (some runners nest them) carry the counts of their children.
  if (suite.testsuite?.length && suite.tests === undefined) {
    return suite.testsuite.map(countSuite).reduce(
      (sum, next) => ({ tests: sum.tests + next.tests, failed: sum.failed + next.failed, skipped: sum.skipped + next.skipped }),
      { tests: 0, failed: 0, skipped: 0 },
    );
  }
  const tests = Number(suite.tests ?? suite.testcase?.length ?? 0);
  const failed = Number(suite.failures ?? 0) + Number(suite.errors ?? 0);
  const skipped = Number(suite.skipped ?? suite.disabled ?? 0);
  return { tests, failed, skipped };
}

export function parseJunit(xml: string): JunitCounts | { error: string } {
  let document: { testsuites?: Suite & { testsuite?: Suite[] }; testsuite?: Suite[] };
  try {
    document = parser.parse(xml, true) as typeof document;
  } catch (error) {
    return { error: `not valid XML: ${(error as Error).message.split('\n')[0]}` };
  }
  const suites = document.testsuites?.testsuite ?? document.testsuite;
  if (!suites) return { error: 'no <testsuite> element' };
  const total = suites.map(countSuite).reduce(
    (sum, next) => ({ tests: sum.tests + next.tests, failed: sum.failed + next.failed, skipped: sum.skipped + next.skipped }),
    { tests: 0, failed: 0, skipped: 0 },
  );
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
