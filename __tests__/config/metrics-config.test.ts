// verify.prometheus and verify.metrics: what they resolve to (seed-metric defaults, seconds shown in ms, unwritten
// rate limits taken from verify.error-rate) and each mistake reported at its file:line:column in plain words.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';
import type { VerifyConfig } from '../../src/config/types.js';
import { ROOT } from '../support/runner-files.js';

const HEAD = `version: 1
environments:
  production: { url: "https://example.com", deploy: ./deploy.sh, rollback: ./rollback.sh, health: { checks: [{ name: up, run: ./up.sh }] } }
verify:
`;

function verifyOf(section: string): VerifyConfig {
  const result = parseConfig(`${HEAD}${section}`, 'meta-deploy.yml');
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  const verify = result.config.targets['default']?.verify;
  if (verify === undefined) throw new Error('no verify section');
  return verify;
}

function problemsOf(section: string): string[] {
  const result = parseConfig(`${HEAD}${section}`, 'meta-deploy.yml');
  return result.ok ? [] : result.problems.map(formatProblem);
}

const PROMETHEUS = '  prometheus: { url: "http://prometheus:9090" }\n';

describe('verify.metrics resolves', () => {
  test('the five seed metrics with only a query get their units and limits; a verify section with metrics needs no probes', () => {
    const verify = verifyOf(`  error-rate: { max: 0.02, max-increase: 0.01 }
  latency-p95: { max-ratio: 1.3 }
${PROMETHEUS}  metrics:
    - { name: error-rate, prometheus: { errors: e, total: t } }
    - { name: latency-p95, prometheus: p95 }
    - { name: throughput, prometheus: rps }
    - { name: memory, prometheus: rss }
    - { name: cpu, command: ./cpu.sh }
`);
    expect(verify.prometheus).toEqual({ url: 'http://prometheus:9090', headersEnv: {}, timeoutMs: 10_000, at: 'verify.prometheus' });
    expect(verify.probes).toEqual([]);
    expect(verify.metrics.map(({ name, unit, scale, limit }) => ({ name, unit, scale, limit }))).toEqual([
      { name: 'error-rate', unit: 'ratio', scale: 1, limit: { kind: 'rate', max: 0.02, maxIncrease: 0.01 } },
      { name: 'latency-p95', unit: 'ms', scale: 1000, limit: { kind: 'max-ratio', ratio: 1.3 } },
      { name: 'throughput', unit: 'rps', scale: 1, limit: { kind: 'min-ratio', ratio: 0.5 } },
      { name: 'memory', unit: 'bytes', scale: 1, limit: { kind: 'max-ratio', ratio: 1.5 } },
      { name: 'cpu', unit: 'value', scale: 1, limit: { kind: 'max-ratio', ratio: 1.5 } },
    ]);
    expect(verify.metrics[0]).toMatchObject({ prometheus: { errors: 'e', total: 't' }, at: 'verify.metrics[0]' });
    expect(verify.metrics[1]).toMatchObject({ prometheus: { query: 'p95' } });
    expect(verify.metrics[4]).toMatchObject({ command: './cpu.sh', timeoutMs: 30_000 });
  });

  test('written units and limits win; a rate limit written in part takes the rest from verify.error-rate', () => {
    const verify = verifyOf(`  error-rate: { max-increase: 0.003 }
${PROMETHEUS}  metrics:
    - { name: latency-p95, prometheus: p95, unit: ms, max-ratio: 2 }
    - { name: checkout-failures, prometheus: { errors: e, total: t }, max: 0.05 }
    - { name: queue, command: ./q.sh, unit: value, min-ratio: 0.8, timeout: 5s }
`);
    expect(verify.metrics.map(({ unit, scale, limit }) => ({ unit, scale, limit }))).toEqual([
      { unit: 'ms', scale: 1, limit: { kind: 'max-ratio', ratio: 2 } },
      { unit: 'ratio', scale: 1, limit: { kind: 'rate', max: 0.05, maxIncrease: 0.003 } },
      { unit: 'value', scale: 1, limit: { kind: 'min-ratio', ratio: 0.8 } },
    ]);
    expect(verify.metrics[2]?.timeoutMs).toBe(5000);
  });

  test('header names map to environment variable names', () => {
    const verify = verifyOf(`  prometheus: { url: "http://p:9090", headers: { Authorization: PROM_AUTH, X-Scope-OrgID: PROM_TENANT }, timeout: 3s }
  metrics: [{ name: throughput, prometheus: rps }]
`);
    expect(verify.prometheus).toMatchObject({ headersEnv: { Authorization: 'PROM_AUTH', 'X-Scope-OrgID': 'PROM_TENANT' }, timeoutMs: 3000 });
  });
});

describe('verify.metrics mistakes are located and explained', () => {
  test.each([
    ['a prometheus metric without verify.prometheus', '  metrics: [{ name: throughput, prometheus: rps }]\n', 'meta-deploy.yml:5:33: verify.metrics[0].prometheus: a prometheus metric needs verify.prometheus.url'],
    ['both sources', `${PROMETHEUS}  metrics: [{ name: memory, prometheus: rss, command: ./m.sh }]\n`, 'meta-deploy.yml:6:13: verify.metrics[0]: takes exactly one of "prometheus" or "command", found "prometheus" and "command"'],
    ['no source', `${PROMETHEUS}  metrics: [{ name: memory }]\n`, 'verify.metrics[0]: needs one of "prometheus" or "command"'],
    ['two limits', `${PROMETHEUS}  metrics: [{ name: memory, prometheus: rss, max-ratio: 2, min-ratio: 0.5 }]\n`, 'verify.metrics[0]: takes one limit, found "max-ratio" and "min-ratio"'],
    ['no limit on a metric of its own', `${PROMETHEUS}  metrics: [{ name: queue-depth, prometheus: q }]\n`, 'verify.metrics[0]: needs a limit: max-ratio (higher is worse), min-ratio (lower is worse), or max/max-increase (a rate)'],
    ['a rate limit on one query', `${PROMETHEUS}  metrics: [{ name: fails, prometheus: f, max: 0.1 }]\n`, 'verify.metrics[0].prometheus: a rate limit (max/max-increase) needs counts'],
    ['error-rate with one query', `${PROMETHEUS}  metrics: [{ name: error-rate, prometheus: f }]\n`, 'verify.metrics[0].prometheus: a rate limit (max/max-increase) needs counts'],
    ['a ratio limit on counts', `${PROMETHEUS}  metrics: [{ name: fails, prometheus: { errors: e, total: t }, max-ratio: 2 }]\n`, 'verify.metrics[0].prometheus: {errors, total} gives counts, which a rate limit judges'],
    ['a unit on a rate', `${PROMETHEUS}  metrics: [{ name: error-rate, prometheus: { errors: e, total: t }, unit: percent }]\n`, 'verify.metrics[0].unit: "unit" does not apply to a rate'],
    ['a timeout on a query', `${PROMETHEUS}  metrics: [{ name: memory, prometheus: rss, timeout: 5s }]\n`, 'verify.metrics[0].timeout: "timeout" applies only to command metrics'],
    ['half of {errors, total}', `${PROMETHEUS}  metrics: [{ name: error-rate, prometheus: { errors: e } }]\n`, 'verify.metrics[0].prometheus: missing required key "total"'],
    ['a duplicate name', `${PROMETHEUS}  metrics: [{ name: memory, prometheus: a }, { name: memory, prometheus: b }]\n`, 'verify.metrics[1].name: duplicate name "memory" (also verify.metrics[0])'],
    ['an unknown placeholder in a query', `${PROMETHEUS}  metrics: [{ name: cpu, prometheus: 'rate(cpu[\${intreval}])' }]\n`, 'unknown placeholder ${intreval} (did you mean ${interval}?)'],
    ['a window placeholder in a query', `${PROMETHEUS}  metrics: [{ name: cpu, prometheus: 'rate(cpu[\${now}])' }]\n`, 'unknown placeholder ${now}'],
    ['an unknown placeholder in a command', '  metrics: [{ name: cpu, command: "./cpu.sh ${deployed_att}" }]\n', 'unknown placeholder ${deployed_att} (did you mean ${deployed_at}?)'],
    ['${interval} in the prometheus url', '  prometheus: { url: "http://p:9090/${interval}" }\n  metrics: [{ name: cpu, command: ./c.sh }]\n', 'verify.prometheus.url: unknown placeholder ${interval}'],
    ['a header value that is not a variable name', '  prometheus: { url: "http://p:9090", headers: { Authorization: "Bearer abc" } }\n  metrics: [{ name: cpu, command: ./c.sh }]\n', 'expected an environment variable name like "DEPLOY_TOKEN", got "Bearer abc"'],
  ])('%s', (_name, section, message) => {
    const problems = problemsOf(section);
    expect(problems.join('\n')).toContain(message);
    expect(problems, problems.join('\n')).toHaveLength(1);
  });

  test('the window placeholders are accepted in commands, ${interval} in queries', () => {
    expect(
      problemsOf(`${PROMETHEUS}  metrics:
    - { name: cpu, command: "./cpu.sh \${baseline_from} \${deploy_started_at} \${deployed_at} \${now} \${interval} \${version}" }
    - { name: memory, prometheus: 'rss{env="\${environment}"}[\${interval}]' }
`),
    ).toEqual([]);
  });
});

test("the README's metrics example is a valid verify section with the five seed metrics and a command", async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const block = readme.split('<!-- metrics-example:start -->')[1]?.split('<!-- metrics-example:end -->')[0] ?? '';
  const yaml = block.replace(/^\s*```yaml\n/, '').replace(/```\s*$/, '').replace(/^verify:\n/, '');
  const verify = verifyOf(yaml);
  expect(verify.metrics.map(({ name }) => name)).toEqual(['error-rate', 'latency-p95', 'throughput', 'memory', 'cpu', 'queue-latency']);
});
