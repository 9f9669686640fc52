// Every workflow the README shows (and our own CI workflow) and action.yml pass GitHub's own parser
// (@actions/workflow-parser, the one behind the Actions language service), and together they cover the four triggers
// the action must serve: push to the default branch, workflow_dispatch with a target choice, v* tags, pull requests.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/index';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../support/runner-files.js';

const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
const workflows = [...readme.matchAll(/```yaml\n(# \.github\/workflows\/[^\n]*\n[\s\S]*?)```/g)].map((match) => match[1]!);

function errorsOf(name: string, content: string): string[] {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((error) => error.message);
}

describe('workflows', () => {
  test('the README shows workflows', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(2);
  });

  test.each(workflows.map((content) => [content.split('\n')[0]!, content]))('%s passes GitHub\'s workflow parser', async (name, content) => {
    expect(errorsOf(name, content)).toEqual([]);
    const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    const template = await convertWorkflowTemplate(result.context, result.value!);
    expect(template.errors ?? []).toEqual([]);
  });

  test('the parser does reject a broken workflow (so the test above can fail)', () => {
    expect(errorsOf('broken.yml', 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n').length).toBeGreaterThan(0);
  });

  test('the README workflows cover push to main, workflow_dispatch with a target choice, v* tags and pull requests', () => {
    const triggers = workflows.map((content) => (parse(content) as { on: unknown }).on);
    const all = JSON.stringify(triggers);
    const dispatch = triggers.find((on) => typeof on === 'object' && on && 'workflow_dispatch' in on) as { workflow_dispatch: { inputs: { target: { type: string } } } };
    expect(dispatch.workflow_dispatch.inputs.target.type).toBe('choice');
    expect(all).toContain('"branches":["main"]');
    expect(all).toContain('"tags":["v*"]');
    expect(triggers).toContain('pull_request');
  });

  test("our own CI workflow passes GitHub's workflow parser", async () => {
    expect(errorsOf('ci.yml', await readFile(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8'))).toEqual([]);
  });

  test("action.yml passes GitHub's action parser", async () => {
    const result = parseAction({ name: 'action.yml', content: await readFile(join(ROOT, 'action.yml'), 'utf8') }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
  });
});
