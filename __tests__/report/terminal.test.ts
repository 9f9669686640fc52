import { describe, expect, test } from 'vitest';
import type { Deployment } from '../../src/engine/model.js';
import { LIVE_LINES_PER_STEP, LIVE_STEPS, createTerminalObserver, renderTerminalSummary } from '../../src/report/terminal.js';
import type { TerminalOptions } from '../../src/report/terminal.js';
import { recorded, SCENARIO_NAMES, SCENARIOS } from '../fixtures/deployments/scenarios.js';
import { replayDeployment } from './replay.js';
import { VirtualScreen } from './virtual-screen.js';

const SGR = /\u001b\[[0-9;]*m/;
const BOX_CHARS = /[┌┐└┘│─┬┴├┤┼═]/;

function run(d: Deployment, options: TerminalOptions): VirtualScreen {
  const screen = new VirtualScreen();
  replayDeployment(createTerminalObserver(screen.stream(), options), d);
  return screen;
}

describe('terminal observer, not a TTY (CI logs)', () => {
  test.each(SCENARIO_NAMES)('matches the reviewed snapshot: %s', async (name) => {
    await expect(run(SCENARIOS[name](), { tty: false, color: false }).raw).toMatchFileSnapshot(`__snapshots__/terminal-plain/${name}.txt`);
  });

  test('prints plain prefixed lines: started, finished with key facts, labelled output', () => {
    const raw = run(recorded('validate-failure'), { tty: false, color: false }).raw;
    const lines = raw.split('\n');
    expect(lines[0]).toBe('[validate] started');
    expect(lines).toContainEqual(expect.stringMatching(/^\[validate\] failed in \d+ms — test runs 1\/2 · review 3\/3 · prerequisites 5\/5$/));
    expect(lines).toContain('  validate/unit |   AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:');
    expect(run(recorded('success'), { tty: false, color: false }).raw).toMatch(
      /^\[validate\] passed in \d+ms — test runs 2\/2 · review 3\/3 · prerequisites 5\/5$/m,
    );
  });

  test('uses neither ANSI codes nor box drawing, even when colour is asked for', () => {
    for (const name of SCENARIO_NAMES) {
      const raw = run(SCENARIOS[name](), { tty: false, color: true }).raw;
      expect(raw).not.toContain('\u001b');
      expect(raw).not.toMatch(BOX_CHARS);
    }
  });

  test('keeps every output line of a step (logs are where failures are read)', () => {
    const screen = new VirtualScreen();
    const observer = createTerminalObserver(screen.stream(), { tty: false, color: false });
    observer.stageStarted('build', recorded('success'));
    for (let i = 1; i <= 50; i += 1) observer.output('build', `line ${i}`);
    for (let i = 1; i <= 50; i += 1) expect(screen.raw).toContain(`  build | line ${i}\n`);
  });

  test('strips colour codes and carriage-return redraws from command output', () => {
    const screen = new VirtualScreen();
    const observer = createTerminalObserver(screen.stream(), { tty: false, color: false });
    observer.output('build', '\u001b[32m✓\u001b[39m built 10%\r built 100%');
    expect(screen.raw).toBe('  build |  built 100%\n');
  });
});

describe('terminal observer on a TTY', () => {
  test.each(SCENARIO_NAMES)('matches the reviewed snapshot (colour off, 80 columns): %s', async (name) => {
    await expect(`${run(SCENARIOS[name](), { tty: true, color: false, width: 80 }).text()}\n`).toMatchFileSnapshot(
      `__snapshots__/terminal-tty/${name}.txt`,
    );
  });

  test('draws the seed banner and boxes, and no line is wider than the terminal', () => {
    for (const width of [80, 60, 40, 200]) {
      for (const name of SCENARIO_NAMES) {
        const text = run(SCENARIOS[name](), { tty: true, color: false, width }).text();
        const wide = text.split('\n').filter((line) => Array.from(line).length > width && BOX_CHARS.test(line));
        expect(wide, `${name} at ${width} columns`).toEqual([]);
      }
    }
    const text = run(recorded('success'), { tty: true, color: false, width: 80 }).text();
    expect(text).toContain('STAGE 1: PRE-DEPLOYMENT VALIDATION');
    expect(text).toContain('│ @timeout:2s → Smoke tests');
  });

  test('a health poll that failed says why it stopped: failure threshold, never answered', () => {
    const d = recorded('production-health-rollback');
    d.stages.production.data!.checks!.ended = 'failure-threshold';
    expect(run(d, { tty: true, color: false, width: 80 }).text()).toMatch(/│ Health: UNHEALTHY \(failure-threshold reached\) +│/);
    d.stages.production.data!.checks!.ended = 'never-answered';
    expect(run(d, { tty: true, color: false, width: 80 }).text()).toMatch(/│ Health: UNHEALTHY \(never answered\) +│/);
  });

  test('validation and verification use three columns when the terminal is wide enough, stacked boxes when not', () => {
    const wide = run(recorded('success'), { tty: true, color: false, width: 80 }).text();
    expect(wide).toContain('│ /meta-test              │ /meta-review            │ PREREQUISITES           │');
    const screen = run(recorded('success'), { tty: true, color: false, width: 60 }).text();
    const narrow = screen.slice(0, screen.indexOf('DEPLOYMENT SUMMARY'));
    expect(narrow).not.toContain('┬');
    expect(narrow).toMatch(/│ \/meta-test\s+│\n/);
    expect(narrow).toMatch(/│ ERROR RATES\s+│\n/);
  });

  test.each([40, 120, 200])('boxes and the summary fit %i columns with every border intact', async (width) => {
    for (const name of SCENARIO_NAMES) {
      const lines = run(SCENARIOS[name](), { tty: true, color: false, width }).text().split('\n');
      const framed = lines.filter((line) => /^[┌│├└]/.test(line));
      expect(framed.length, name).toBeGreaterThan(0);
      for (const line of framed) {
        // A box line is exactly closed: it ends with the border matching how it starts, and fits the terminal.
        expect(Array.from(line).length, `${name}: ${line}`).toBeLessThanOrEqual(width);
        expect(line, name).toMatch({ '┌': /┐$/, '│': /│$/, '├': /┤$/, '└': /┘$/ }[line[0]!]!);
      }
      // Each box's lines are all as wide as its top border.
      let top = 0;
      for (const line of framed) {
        if (line.startsWith('┌')) top = Array.from(line).length;
        expect(Array.from(line).length, `${name}: ${line}`).toBe(top);
      }
    }
    await expect(`${run(recorded('success'), { tty: true, color: false, width }).text()}\n`).toMatchFileSnapshot(
      `__snapshots__/terminal-tty/widths/success-${width}.txt`,
    );
  });

  test('without a known width, draws for 80 columns', () => {
    const unknown = run(recorded('success'), { tty: true, color: false }).text();
    expect(unknown).toBe(run(recorded('success'), { tty: true, color: false, width: 80 }).text());
    expect(Math.max(...unknown.split('\n').filter((line) => line.startsWith('│')).map((line) => Array.from(line).length))).toBe(80);
  });

  test(`shows only the last ${LIVE_LINES_PER_STEP} output lines of a running step, and clears them when the stage ends`, () => {
    const d = recorded('success');
    const screen = new VirtualScreen();
    const observer = createTerminalObserver(screen.stream(), { tty: true, color: false, width: 80 });
    observer.stageStarted('build', d);
    for (let i = 1; i <= 40; i += 1) observer.output('build', `compiling module ${i}`);
    observer.progress('build', 'still building');
    const during = screen.text();
    expect(during).toContain('compiling module 40');
    expect(during).toContain(`compiling module ${41 - LIVE_LINES_PER_STEP}`);
    expect(during).not.toContain(`compiling module ${40 - LIVE_LINES_PER_STEP}\n`);
    expect(during.split('\n').filter((l) => l.includes('compiling module'))).toHaveLength(LIVE_LINES_PER_STEP);
    // Progress is printed above the live region, which stays at the bottom.
    expect(during.indexOf('still building')).toBeLessThan(during.indexOf('compiling module'));
    observer.stageFinished(d.stages.build, d);
    expect(screen.text()).not.toContain('compiling module');
    expect(screen.text()).toContain('│ Build status: SUCCESS');
  });

  test(`shows at most ${LIVE_STEPS} steps at once, the most recently active`, () => {
    const screen = new VirtualScreen();
    const observer = createTerminalObserver(screen.stream(), { tty: true, color: false, width: 80 });
    observer.stageStarted('validate', recorded('success'));
    for (let step = 1; step <= LIVE_STEPS + 2; step += 1) observer.output(`validate/t${step}`, `output of t${step}`);
    const text = screen.text();
    expect(text).not.toContain('output of t1');
    expect(text).not.toContain('output of t2');
    for (let step = 3; step <= LIVE_STEPS + 2; step += 1) expect(text).toContain(`validate/t${step} │ output of t${step}`);
  });

  test('colours only when asked', () => {
    expect(run(recorded('validate-failure'), { tty: true, color: true, width: 80 }).raw).toMatch(SGR);
    expect(run(recorded('validate-failure'), { tty: true, color: false, width: 80 }).raw).not.toMatch(SGR);
  });
});

describe('renderTerminalSummary', () => {
  test('draws the Deployment Summary as a box table on a TTY and as a plain table otherwise', () => {
    const d = recorded('success');
    const boxed = renderTerminalSummary(d, { tty: true, color: false, width: 80 });
    expect(boxed).toContain('│ Stage        │ Status   │ Duration │ Notes');
    const plain = renderTerminalSummary(d, { tty: false, color: false });
    expect(plain).not.toMatch(BOX_CHARS);
    expect(plain).toMatch(/^Validation {4}✓ passed {2}\d+ms +test runs 2\/2 · review 3\/3 · prerequisites 5\/5$/m);
    for (const text of [boxed, plain]) {
      expect(text).toContain('Deployment Result: SUCCESS');
      expect(text).toContain('Previous version: 1.0.0\nCurrent version: 1.1.0');
      expect(text).toContain('Rollback Available: Yes — snapshot 1.0.0');
    }
  });

  test('on failure, repeats the expected and actual values and the end of the output', () => {
    const text = renderTerminalSummary(SCENARIOS['staging-smoke-failure'](), { tty: false, color: false });
    expect(text).toContain('    expected: HTTP 200\n    got:      HTTP 500');
    const failedTest = renderTerminalSummary(recorded('validate-failure'), { tty: false, color: false });
    expect(failedTest).toContain("    |     expected: { total: 44 },\n    |     operator: 'deepStrictEqual',");
  });
});

describe('the uploaded artifact in the closing summary', () => {
  test('its link, or where the local store keeps it, or the failed upload marked as a warning', () => {
    const d = recorded('success');
    d.stages.build.data!.upload = { status: 'passed', name: 'shop', url: 'https://github.com/a/b/actions/runs/1/artifacts/2', detail: 'uploaded' };
    expect(renderTerminalSummary(d, { tty: false, color: false })).toContain('\nArtifacts: https://github.com/a/b/actions/runs/1/artifacts/2\n');
    d.stages.build.data!.upload = { status: 'warning', name: 'shop', detail: 'upload of shop failed: ECONNREFUSED' };
    expect(renderTerminalSummary(d, { tty: false, color: false })).toContain('\nArtifacts: upload of shop failed: ECONNREFUSED (warning)\n');
  });
});
