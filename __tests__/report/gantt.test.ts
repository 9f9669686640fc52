// @vitest-environment jsdom
// The chart is checked by Mermaid itself (mermaid's parser and its Gantt database, in jsdom): each stage that ran is
// one task with the recorded start and end, whatever its name holds.
import mermaid from 'mermaid';
import { describe, expect, test } from 'vitest';
import type { Deployment } from '../../src/engine/model.js';
import { mermaidText, renderGantt } from '../../src/report/gantt.js';
import { recorded, SCENARIO_NAMES } from '../fixtures/deployments/scenarios.js';

interface GanttTask {
  task: string;
  id: string;
  startTime: Date;
  endTime: Date;
  crit?: boolean;
  done?: boolean;
}

/** The tasks Mermaid reads from the ```mermaid block of `markdown`. */
async function ganttTasks(markdown: string): Promise<GanttTask[]> {
  const source = /^```mermaid\n([\s\S]*?)\n```$/m.exec(markdown)?.[1];
  if (source === undefined) throw new Error('no mermaid block');
  expect(await mermaid.parse(source)).toMatchObject({ diagramType: 'gantt' });
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(source);
  return (diagram.db as unknown as { getTasks(): GanttTask[] }).getTasks();
}

function ranStages(d: Deployment) {
  return Object.values(d.stages).filter((s) => s.startedAt !== undefined && s.durationMs !== undefined);
}

describe('renderGantt', () => {
  test.each(SCENARIO_NAMES)('%s: one task per stage that ran, at its recorded start and end', async (name) => {
    const d = recorded(name);
    const tasks = await ganttTasks(renderGantt(d)!);
    const ran = ranStages(d);
    expect(tasks.map((t) => t.id)).toEqual(ran.map((s) => s.id));
    for (const [i, stage] of ran.entries()) {
      const start = Date.parse(stage.startedAt!);
      expect(tasks[i]!.startTime.getTime()).toBe(start);
      expect(tasks[i]!.endTime.getTime()).toBe(start + Math.max(1, stage.durationMs!));
    }
  });

  test('failed and rolled-back stages are critical, passed ones done', async () => {
    const tasks = await ganttTasks(renderGantt(recorded('production-health-rollback'))!);
    expect(tasks.find((t) => t.id === 'production')).toMatchObject({ crit: true });
    expect(tasks.find((t) => t.id === 'staging')).toMatchObject({ done: true });
  });

  test('a target named with : ; # %% and a newline breaks neither the title nor a task', async () => {
    const d = recorded('success');
    d.target = 'web: a;b #35; %%c\nsection Evil';
    const md = renderGantt(d)!;
    expect(md).not.toMatch(/^\s*section Evil/m);
    const tasks = await ganttTasks(md);
    expect(tasks).toHaveLength(ranStages(d).length);
    expect(mermaidText('a:b;c#d%%e\nf')).toBe('a b c d e f');
  });

  test('no chart when no stage ran', () => {
    const d = recorded('validate-failure');
    for (const stage of Object.values(d.stages)) delete stage.startedAt;
    expect(renderGantt(d)).toBeUndefined();
  });
});
