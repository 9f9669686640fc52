import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import type { LoadResult } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';
import type { DeployConfig } from '../../src/config/types.js';

const ENVIRONMENTS = `
environments:
  staging: { deploy: ./deploy.sh, rollback: ./rollback.sh, smoke: { checks: [{ name: up, run: ./up.sh }] } }
  production: { deploy: ./deploy.sh, rollback: ./rollback.sh, health: { checks: [{ name: up, run: ./up.sh }] } }
`;

const upCheck = (at: string) => ({ kind: 'run', name: 'up', command: './up.sh', timeoutMs: 10_000, at });

function accept(text: string): DeployConfig {
  const result = parseConfig(text, 'meta-deploy.yml');
  if (!result.ok) throw new Error(`unexpected problems:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.config;
}

function problemsOf(result: LoadResult) {
  if (result.ok) throw new Error('expected the config to be refused');
  return result.problems;
}

function refuse(text: string) {
  return problemsOf(parseConfig(text, 'meta-deploy.yml'));
}

describe('defaults', () => {
  test('a minimal config resolves to the documented defaults', () => {
    const config = accept(`version: 1\n${ENVIRONMENTS}`);
    expect(config).toEqual({
      file: path.resolve('meta-deploy.yml'),
      stateDir: '.meta-deploy',
      lockTimeoutMs: 15 * 60_000,
      targetNames: ['default'],
      targets: {
        default: {
          name: 'default',
          validate: {
            tests: [],
            review: { approvals: 0, noPullRequest: 'fail', checks: [] },
            prerequisites: { env: [], commands: [], files: [], reachable: [] },
          },
          build: { artifacts: [], secretsScan: true, secretsAllow: [], unscanned: 'warn', keep: 5, timeoutMs: 1_800_000, verifyBeforeDeploy: 'full', upload: { name: 'meta-deploy-${target}-${version}' } },
          environments: {
            staging: {
              name: 'staging',
              provider: 'command',
              deploy: './deploy.sh',
              rollback: './rollback.sh',
              keep: 5,
              commandTimeoutMs: 600_000,
              requires: [],
              smoke: { timeoutMs: 300_000, intervalMs: 5000, failureThreshold: 3, successThreshold: 1, checks: [upCheck('environments.staging.smoke.checks[0]')], at: 'environments.staging.smoke' },
              at: 'environments.staging',
            },
            production: {
              name: 'production',
              provider: 'command',
              deploy: './deploy.sh',
              rollback: './rollback.sh',
              keep: 5,
              commandTimeoutMs: 600_000,
              requires: [],
              health: { timeoutMs: 60_000, intervalMs: 2000, failureThreshold: 3, successThreshold: 1, checks: [upCheck('environments.production.health.checks[0]')], at: 'environments.production.health' },
              at: 'environments.production',
            },
          },
          finalize: { tag: 'v${version}', release: true, changelog: true, notify: [] },
        },
      },
    });
  });

  test('checks get status 200 and a 10s timeout; tests and review checks get 30m', () => {
    const config = accept(`version: 1
validate:
  tests: [{ name: unit, run: npm test }]
  review: { checks: [{ name: lint, category: correctness, run: npm run lint }] }
environments:
  staging:
    url: https://staging.example.com
    deploy: ./deploy.sh
    rollback: ./rollback.sh
    smoke: { checks: [{ name: up, http: "\${url}/" }] }
`);
    const target = config.targets['default'];
    expect(target?.validate.tests[0]).toEqual({ name: 'unit', run: 'npm test', at: 'validate.tests[0]', timeoutMs: 1_800_000 });
    expect(target?.validate.review.checks[0]).toEqual({
      name: 'lint',
      run: 'npm run lint',
      category: 'correctness',
      at: 'validate.review.checks[0]',
      timeoutMs: 1_800_000,
    });
    expect(target?.environments.staging?.smoke?.checks).toEqual([
      { kind: 'http', name: 'up', url: '${url}/', status: 200, timeoutMs: 10_000, at: 'environments.staging.smoke.checks[0]' },
    ]);
  });

  test('a verify section with only probes gets the default thresholds; no verify section leaves the stage off', () => {
    expect(accept(`version: 1\n${ENVIRONMENTS}`).targets['default']?.verify).toBeUndefined();
    expect(accept(`version: 1\nverify: { probes: ["https://example.com/"] }\n${ENVIRONMENTS}`).targets['default']?.verify).toEqual({
      windowMs: 600_000,
      intervalMs: 30_000,
      confidence: 0.98,
      minSamples: 20,
      onInconclusive: 'pass',
      onNoData: 'rollback',
      errorRate: { max: 0.01, maxIncrease: 0.005 },
      latencyP95: { maxRatio: 1.5 },
      probes: ['https://example.com/'],
      probeRate: 5,
      probeConcurrency: 4,
      metrics: [],
      smoke: [],
    });
  });

  test.each([['targets: {}'], ['targets:'], ['']])('%j gives one implicit target named "default"', (targets) => {
    const config = accept(`version: 1\n${targets}\n${ENVIRONMENTS}`);
    expect(config.targetNames).toEqual(['default']);
    expect(Object.keys(config.targets)).toEqual(['default']);
  });

  test('state-dir is read', () => {
    expect(accept(`version: 1\nstate-dir: .deploys\n${ENVIRONMENTS}`).stateDir).toBe('.deploys');
  });

  test('lock-timeout is read as a duration', () => {
    expect(accept(`version: 1\nlock-timeout: 90s\n${ENVIRONMENTS}`).lockTimeoutMs).toBe(90_000);
  });

  test('a name that only exists on Object.prototype is not a target', () => {
    const config = accept(`version: 1\ntargets: { web: {} }\n${ENVIRONMENTS}`);
    expect(config.targets['toString']).toBeUndefined();
    expect(config.targets['constructor']).toBeUndefined();
  });
});

describe('targets', () => {
  const base = `version: 1
targets:
  web:
    build: { run: npm run build:web }
    environments:
      production: { url: https://web.example.com }
  "2": {}
  api:
validate:
  tests: [{ name: unit, run: npm test }]
build:
  run: npm run build
  artifacts: ["dist/**"]
  max-size: 10MiB
environments:
  staging:
    url: https://staging.example.com
    deploy: ./deploy.sh staging
    rollback: ./rollback.sh staging
    smoke:
      checks: [{ name: up, http: "\${url}/healthz" }]
  production:
    url: https://example.com
    deploy: ./deploy.sh production
    rollback: ./rollback.sh production
    health:
      checks: [{ name: up, http: "\${url}/healthz" }]
`;

  test('keeps the written order of target names, numeric names included', () => {
    expect(accept(base).targetNames).toEqual(['web', '2', 'api']);
  });

  test('a target overriding one environment url and the build command inherits everything else', () => {
    const config = accept(base);
    const web = config.targets['web'];
    const api = config.targets['api'];
    expect(web?.build).toEqual({ ...api?.build, run: 'npm run build:web' });
    expect(web?.build.maxSizeBytes).toBe(10 * 2 ** 20);
    expect(web?.build.artifacts).toEqual(['dist/**']);
    expect(web?.environments.production).toEqual({ ...api?.environments.production, url: 'https://web.example.com' });
    expect(web?.environments.production?.deploy).toBe('./deploy.sh production');
    expect(web?.environments.staging).toEqual(api?.environments.staging);
    expect(web?.validate).toEqual(api?.validate);
    expect(web?.finalize).toEqual(api?.finalize);
    expect(api?.environments.production?.url).toBe('https://example.com');
  });

  test('a list in a target replaces the inherited list, and its items say where they were written', () => {
    const config = accept(base.replace('  "2": {}', '  "2":\n    validate: { tests: [{ name: e2e, run: npm run e2e }] }'));
    expect(config.targets['2']?.validate.tests).toEqual([{ name: 'e2e', run: 'npm run e2e', at: 'targets.2.validate.tests[0]', timeoutMs: 1_800_000 }]);
    expect(config.targets['web']?.validate.tests.map((test) => test.name)).toEqual(['unit']);
  });

  test('a target can bring an environment of its own', () => {
    const config = accept(`version: 1
targets:
  web: {}
  docs:
    build: { artifacts: ["site/**"] }
    environments:
      staging: { provider: local, path: /srv/docs, smoke: { checks: [{ name: up, run: ./up.sh }] } }
environments:
  production: { deploy: ./deploy.sh, rollback: ./rollback.sh, health: { checks: [{ name: up, run: ./up.sh }] } }
`);
    expect(config.targets['web']?.environments.staging).toBeUndefined();
    expect(config.targets['docs']?.environments.staging).toMatchObject({
      provider: 'local',
      path: '/srv/docs',
      at: 'targets.docs.environments.staging',
    });
  });

  test('a problem that a target override causes in an inherited mapping names the target', () => {
    const problems = refuse(`version: 1
targets:
  web:
    environments:
      staging: { provider: local }
  api: {}
build: { artifacts: ["dist/**"] }
environments:
  staging: { deploy: ./deploy.sh, rollback: ./rollback.sh, smoke: { checks: [{ name: up, run: ./up.sh }] } }
`);
    expect(problems.map((problem) => [problem.line, problem.path, problem.message])).toEqual([
      [9, 'environments.staging', expect.stringMatching(/^the local provider needs "path".* \(in target "web"\)$/)],
      [9, 'environments.staging.deploy', '"deploy" applies only to provider: command (this environment uses provider: local) (in target "web")'],
      [9, 'environments.staging.rollback', '"rollback" applies only to provider: command (this environment uses provider: local) (in target "web")'],
    ]);
  });

  test('a problem written inside a target points into the target', () => {
    const problems = refuse(`version: 1
targets:
  web:
    finalize: { tag: "\${tag}" }
  api: {}
${ENVIRONMENTS}`);
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, column: 23, path: 'targets.web.finalize.tag', message: expect.stringMatching(/^unknown placeholder \$\{tag\} \(placeholders here: [^)]*\)$/) }),
    ]);
  });

  test('when every target lacks an environment there is one problem, not one per target', () => {
    const problems = refuse('version: 1\ntargets: { a: {}, b: {} }\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('no environment configured');
  });

  test('a target without an environment while others have one is named', () => {
    const problems = refuse(`version: 1
targets:
  a: { environments: { staging: { deploy: ./d, rollback: ./r, smoke: { checks: [{ name: up, run: ./up.sh }] } } } }
  b: {}
`);
    expect(problems).toEqual([expect.objectContaining({ line: 4, column: 3, path: 'targets.b', message: expect.stringContaining('no environment') })]);
  });

  test('YAML anchors and merge keys work', () => {
    const config = accept(`version: 1
environments:
  staging:
    <<: &commands { deploy: ./deploy.sh, rollback: ./rollback.sh }
    smoke: { checks: [{ name: up, run: ./up.sh }] }
  production:
    <<: *commands
    url: https://example.com
    health: { checks: [{ name: up, run: ./up.sh }] }
`);
    expect(config.targets['default']?.environments.production).toMatchObject({ deploy: './deploy.sh', url: 'https://example.com' });
  });
});

describe('build.upload', () => {
  test('name and retention-days are read; a target overrides a key and keeps the others', () => {
    const config = accept(`version: 1
targets:
  web: {}
  api: { build: { upload: { name: "api-\${sha}" } } }
build: { upload: { name: "shop-\${target}-\${version}", retention-days: 14 } }
${ENVIRONMENTS}`);
    expect(config.targets['web']?.build.upload).toEqual({ name: 'shop-${target}-${version}', retentionDays: 14 });
    expect(config.targets['api']?.build.upload).toEqual({ name: 'api-${sha}', retentionDays: 14 });
  });

  test('retention-days outside 1..90 is refused', () => {
    expect(refuse(`version: 1\nbuild: { upload: { retention-days: 91 } }\n${ENVIRONMENTS}`)).toEqual([expect.objectContaining({ path: 'build.upload.retention-days' })]);
  });
});

describe('the SPEC §3 example', () => {
  const spec = `version: 1
targets:                      # one or more; \`target\` input picks one. A target may override any section below.
  web: {}
validate:
  tests:                      # each runs as its own command; all in parallel with review and prerequisites
    - { name: unit, run: npm test, junit: reports/unit.xml }    # junit: optional, gives pass/fail/skip counts
  review:
    approvals: 1              # approving reviews required on the PR that brought this commit (0 = off)
    checks:
      - { name: lint, category: correctness, run: npm run lint }   # category: correctness | security | performance
  prerequisites:
    env: [DEPLOY_TOKEN]                        # credentials: set and non-empty (values never printed)
    commands: ["rsync", "kubectl >=1.28"]      # dependencies on PATH, optional semver range
    files: [deploy/production.env]             # config that must exist
    disk: 1GiB                                 # resources
    reachable: ["https://staging.example.com/healthz", "tcp://db.internal:5432"]
build:
  run: npm ci && npm run build
  artifacts: ["dist/**", "!dist/**/*.map"]
  max-size: 500MiB
  secrets-scan: true
environments:
  staging:
    url: https://staging.example.com
    deploy: ./deploy.sh            # command provider (default): deploy is required
    rollback: ./rollback.sh        # receives META_DEPLOY_SNAPSHOT_ID
    snapshot: ./current.sh         # optional: prints the id of what runs now; default: last recorded version
    smoke:
      timeout: 300s
      interval: 5s
      checks:
        - { name: Health endpoint, http: "\${url}/healthz", status: 200, contains: ok, max-latency: 500ms }
        - { name: Database connectivity, tcp: "db.staging:5432" }
        - { name: Authentication flow, run: npm run smoke:auth }
  production:
    url: https://example.com
    provider: local                # built-in: releases/<version> + atomic \`current\` symlink switch
    path: /srv/app
    keep: 5
    health: { timeout: 60s, interval: 2s, checks: [ { name: Health endpoint, http: "\${url}/healthz" } ] }
verify:
  window: 600s
  interval: 30s
  error-rate: { max: 0.01, max-increase: 0.005 }
  latency-p95: { max-ratio: 1.5 }
  probes: ["\${url}/", "\${url}/healthz"]     # default source: synthetic probes, before vs after
  smoke: [ { name: Home page, http: "\${url}/", contains: "<title>" } ]
finalize:
  tag: "v\${version}"
  release: true
  changelog: true
  notify: [ { slack: { webhook-env: SLACK_WEBHOOK_URL } }, { webhook: { url-env: DEPLOY_WEBHOOK } } ]
`;

  test('parses into the resolved config it describes', () => {
    const config = accept(spec);
    expect(config.targetNames).toEqual(['web']);
    const web = config.targets['web'];
    expect(web?.validate.prerequisites).toEqual({
      env: ['DEPLOY_TOKEN'],
      commands: [
        { name: 'rsync', raw: 'rsync' },
        { name: 'kubectl', range: '>=1.28', raw: 'kubectl >=1.28' },
      ],
      files: ['deploy/production.env'],
      diskBytes: 2 ** 30,
      reachable: ['https://staging.example.com/healthz', 'tcp://db.internal:5432'],
    });
    expect(web?.validate.tests[0]).toMatchObject({ junit: 'reports/unit.xml' });
    expect(web?.validate.review.approvals).toBe(1);
    expect(web?.build).toEqual({
      run: 'npm ci && npm run build',
      artifacts: ['dist/**', '!dist/**/*.map'],
      maxSizeBytes: 500 * 2 ** 20,
      secretsScan: true,
      secretsAllow: [],
      unscanned: 'warn',
      keep: 5,
      timeoutMs: 1_800_000,
      verifyBeforeDeploy: 'full', upload: { name: 'meta-deploy-${target}-${version}' },
    });
    expect(web?.environments.staging?.smoke?.checks).toEqual([
      {
        kind: 'http',
        name: 'Health endpoint',
        url: '${url}/healthz',
        status: 200,
        contains: 'ok',
        maxLatencyMs: 500,
        timeoutMs: 10_000,
        at: 'environments.staging.smoke.checks[0]',
      },
      { kind: 'tcp', name: 'Database connectivity', address: 'db.staging:5432', timeoutMs: 10_000, at: 'environments.staging.smoke.checks[1]' },
      { kind: 'run', name: 'Authentication flow', command: 'npm run smoke:auth', timeoutMs: 10_000, at: 'environments.staging.smoke.checks[2]' },
    ]);
    expect(web?.environments.staging?.snapshot).toBe('./current.sh');
    expect(web?.environments.production).toMatchObject({ provider: 'local', path: '/srv/app', keep: 5 });
    expect(web?.environments.production?.health).toMatchObject({ timeoutMs: 60_000, intervalMs: 2000 });
    expect(web?.verify?.probes).toEqual(['${url}/', '${url}/healthz']);
    expect(web?.finalize.notify).toEqual([
      { kind: 'slack', webhookEnv: 'SLACK_WEBHOOK_URL', at: 'finalize.notify[0]' },
      { kind: 'webhook', urlEnv: 'DEPLOY_WEBHOOK', at: 'finalize.notify[1]' },
    ]);
    expect(web?.finalize.alertIssue).toBeUndefined();
  });

  test('a github-issue entry is the alert issue, not a webhook: labels optional', () => {
    const withLabels = accept(spec.replace('{ webhook: { url-env: DEPLOY_WEBHOOK } } ]', '{ github-issue: { labels: [incident, ops] } }, { webhook: { url-env: DEPLOY_WEBHOOK } } ]'));
    expect(withLabels.targets['web']?.finalize.alertIssue).toEqual({ labels: ['incident', 'ops'] });
    expect(withLabels.targets['web']?.finalize.notify.map((notify) => notify.kind)).toEqual(['slack', 'webhook']);
    const bare = accept(spec.replace('{ webhook: { url-env: DEPLOY_WEBHOOK } } ]', '{ github-issue: {} } ]'));
    expect(bare.targets['web']?.finalize.alertIssue).toEqual({ labels: [] });
  });
});

describe('problems', () => {
  test('formats as file:line:column: path: message, without the path when there is none', () => {
    expect(formatProblem({ file: 'a.yml', line: 3, column: 7, path: 'build.timeout', message: 'bad' })).toBe('a.yml:3:7: build.timeout: bad');
    expect(formatProblem({ file: 'a.yml', line: 1, column: 1, path: '', message: 'empty' })).toBe('a.yml:1:1: empty');
  });

  test('reports every schema mistake at once, sorted by line', () => {
    const problems = refuse(`version: 1
build:
  timeout: soon
environments:
  staging:
    deploy: ./d
    rollback: ./r
    keep: none
validate:
  review: { approvals: -1 }
`);
    expect(problems.map((problem) => [problem.line, problem.path])).toEqual([
      [3, 'build.timeout'],
      [8, 'environments.staging.keep'],
      [10, 'validate.review.approvals'],
    ]);
    expect(problems[2]?.message).toBe('must be at least 0, got -1');
  });

  test('poll thresholds are whole numbers of at least 1', () => {
    const problems = refuse(`version: 1
environments:
  staging: { deploy: ./d, rollback: ./r, smoke: { failure-threshold: 0, checks: [{ name: up, run: ./up.sh }] } }
  production: { deploy: ./d, rollback: ./r, health: { success-threshold: 1.5, checks: [{ name: up, run: ./up.sh }] } }
`);
    expect(problems.map((problem) => [problem.line, problem.path])).toEqual([
      [3, 'environments.staging.smoke.failure-threshold'],
      [4, 'environments.production.health.success-threshold'],
    ]);
    expect(problems[0]?.message).toBe('must be at least 1, got 0');
  });

  test('a misspelt required key is one problem, not also a missing key', () => {
    const problems = refuse(`version: 1
validate:
  tests: [{ nmae: unit, run: npm test }]
${ENVIRONMENTS}`);
    expect(problems.map((problem) => problem.message)).toEqual(['unknown key "nmae" (did you mean "name"?)']);
  });

  test('a misspelt check kind is one problem, not also "needs one of http, tcp or run"', () => {
    const problems = refuse(`version: 1
environments:
  staging:
    deploy: ./d
    rollback: ./r
    smoke: { checks: [{ name: up, htpp: "https://x" }] }
`);
    expect(problems.map((problem) => problem.message)).toEqual(['unknown key "htpp" (did you mean "http"?)']);
  });

  test('a missing required key points at the mapping that lacks it', () => {
    const problems = refuse(`version: 1
validate:
  tests:
    - name: unit
      junit: x.xml
${ENVIRONMENTS}`);
    expect(problems).toEqual([
      { file: 'meta-deploy.yml', line: 4, column: 7, path: 'validate.tests[0]', message: 'missing required key "run"' },
    ]);
  });

  test('an unknown key far from any valid one lists the valid ones instead of guessing', () => {
    const [problem] = refuse(`version: 1\nenvironments:\n  prod: {}\n`);
    expect(problem?.message).toBe('unknown key "prod" (expected "staging" or "production")');
  });

  test.each([
    ['a key in another case style', 'build:\n  maxSize: 1MB', 'unknown key "maxSize" (did you mean "max-size"?)'],
    ['a number where text is expected', 'finalize:\n  tag: 1.0', 'expected a string, got 1 (put it in quotes: "1")'],
    ['an empty value', 'build:\n  timeout:', 'expected a duration like "300s", "5m", "1h30m" or a number of seconds, got nothing'],
    ['a bad env name', 'validate:\n  prerequisites: { env: [deploy-token] }', 'expected an environment variable name like "DEPLOY_TOKEN", got "deploy-token"'],
    ['a bad provider', 'environments:\n  staging: { provider: lokal }', 'expected "command" or "local", got "lokal" (did you mean "local"?)'],
    ['an error rate above 1', 'verify:\n  error-rate: { max: 5 }', 'must be at most 1, got 5'],
    ['a zero latency ratio', 'verify:\n  latency-p95: { max-ratio: 0 }', 'must be greater than 0, got 0'],
    ['an empty command', 'build:\n  run: ""', 'must not be empty'],
    ['a notification of two kinds', 'finalize:\n  notify: [{ slack: { webhook-env: A }, webhook: { url-env: B } }]', 'takes exactly one of "slack", "teams", "webhook" or "github-issue", found "slack" and "webhook"'],
    ['smoke under production', 'environments:\n  production: { smoke: {} }', 'unknown key "smoke" (production runs "health" checks; checks during the verify window go under verify.smoke)'],
  ])('%s is explained in plain words', (_name, yaml, message) => {
    const problems = refuse(`version: 1\n${yaml}\n`);
    expect(problems[0]?.message).toBe(message);
  });

  test('an empty file says so', () => {
    expect(refuse('# nothing yet\n')).toEqual([
      { file: 'meta-deploy.yml', line: 1, column: 1, path: '', message: expect.stringContaining('empty') },
    ]);
  });

  test('a YAML syntax error is located and stops before the schema', () => {
    const problems = refuse('version: 1\nbuild: [a, b\nenvironments: {}\n');
    expect(problems[0]).toMatchObject({ line: 3, column: 1, path: '' });
    expect(problems[0]?.message).toMatch(/^YAML syntax error: /);
  });
});

describe('rules beyond the schema', () => {
  /** A staging environment, with a smoke check unless `extra` brings its own smoke section. */
  const env = (extra: string) => `version: 1
environments:
  staging:
    url: https://staging.example.com
    deploy: ./deploy.sh
    rollback: ./rollback.sh
${extra.includes('    smoke:') ? '' : '    smoke: { checks: [{ name: up, http: "${url}/" }] }\n'}${extra}`;
  const production = '  production: { url: https://example.com, deploy: ./d, rollback: ./r, health: { checks: [{ name: up, http: "${url}/" }] } }';

  test.each([
    ['${url} inside url itself', env('').replace('https://staging.example.com', '"${url}/x"'), 'environments.staging.url', '${url} cannot be used here'],
    ['an unknown placeholder in a tcp check', env('    smoke: { checks: [{ name: db, tcp: "${hostname}:5432" }] }'), 'environments.staging.smoke.checks[0].tcp', 'unknown placeholder ${hostname}'],
    ['an unknown placeholder in the tag', env('finalize: { tag: "v${verison}" }'), 'finalize.tag', 'unknown placeholder ${verison} (did you mean ${version}?)'],
    ['${url} in verify with a production lacking url', env(`${production.replace('url: https://example.com, ', '').replace('"${url}/"', 'https://example.com/')}\nverify: { probes: ["https://example.com/"], smoke: [{ name: home, http: "\${url}/" }] }`), 'verify.smoke[0].http', 'uses ${url} but environments.production has no "url"'],
    ['an http-only key on a tcp check', env('    smoke: { checks: [{ name: db, tcp: "db:5432", contains: ok }] }'), 'environments.staging.smoke.checks[0].contains', '"contains" applies only to http checks'],
    ['a zero poll interval', env('    smoke: { interval: 0s, checks: [{ name: up, run: ./up.sh }] }'), 'environments.staging.smoke.interval', 'must be greater than 0'],
    ['a duplicate test name', env('validate:\n  tests: [{ name: unit, run: a }, { name: unit, run: b }]'), 'validate.tests[1].name', 'duplicate name "unit" (also validate.tests[0])'],
    ['a local-only key on a command environment', env('    keep: 3'), 'environments.staging.keep', '"keep" applies only to provider: local'],
    // A misspelt rule id in secrets-allow would allow nothing, silently.
    ['a rule id without its scope in secrets-allow', env('build: { secrets-allow: ["vendor/**", "secretlint-rule-aws"] }'), 'build.secrets-allow[1]', '"secretlint-rule-aws" is not a rule of the secret scan: did you mean "@secretlint/secretlint-rule-aws"?'],
    ['a misspelt rule id in secrets-allow', env('build: { secrets-allow: ["@secretlint/secretlint-rule-gihtub"] }'), 'build.secrets-allow[0]', 'did you mean "@secretlint/secretlint-rule-github"?'],
    // Gates that could only pass without evidence.
    ['staging without smoke checks', env('    smoke: { timeout: 1m }'), 'environments.staging.smoke', 'staging has no smoke checks, so staging:healthy could only pass without evidence'],
    ['production without health checks', env('  production: { deploy: ./d, rollback: ./r }'), 'environments.production', 'production has no health checks, so production:healthy could only pass without evidence'],
    ['a verify section that measures nothing', env(`${production}\nverify: { window: 5m }`), 'verify', 'verify has no probes, so metrics:normal has nothing to measure'],
    ['a verify section with empty lists', env(`${production}\nverify: { probes: [], smoke: [] }`), 'verify', 'verify has no probes'],
    ['a local environment with nothing to ship', env('').replace('    deploy: ./deploy.sh\n    rollback: ./rollback.sh\n', '    provider: local\n    path: srv\n'), 'environments.staging', 'the local provider deploys the build\'s artifacts, but build.artifacts is empty'],
    // Placeholders in every field that takes them.
    ['an unknown placeholder in contains', env('    smoke: { checks: [{ name: up, http: "${url}/", contains: "${verison}" }] }'), 'environments.staging.smoke.checks[0].contains', 'unknown placeholder ${verison} (did you mean ${version}?)'],
    ['an unknown placeholder in a deploy command', env('').replace('./deploy.sh', './deploy.sh ${verison}'), 'environments.staging.deploy', 'unknown placeholder ${verison} (did you mean ${version}?)'],
    ['an unknown placeholder in a run check', env('    smoke: { checks: [{ name: up, run: "curl -fsS ${url}/version | grep -F ${verison}" }] }'), 'environments.staging.smoke.checks[0].run', 'did you mean ${version}?'],
    ['an unknown placeholder in a test command', env('validate:\n  tests: [{ name: unit, run: "npm test -- ${tagret}" }]'), 'validate.tests[0].run', 'did you mean ${target}?'],
    ['an unknown placeholder in a review check', env('validate:\n  review: { checks: [{ name: lint, category: security, run: "audit ${shaa}" }] }'), 'validate.review.checks[0].run', 'did you mean ${sha}?'],
    ['an unknown placeholder in the build command', env('build: { run: "make VERSION=${verion}" }'), 'build.run', 'did you mean ${version}?'],
    ['an unknown placeholder in a rollback command', env('').replace('./rollback.sh', './rollback.sh ${snapshto}'), 'environments.staging.rollback', 'did you mean ${snapshot}?'],
    ['an unknown placeholder in a probe', env(`${production}\nverify: { probes: ["\${url}/?v=\${verison}"] }`), 'verify.probes[0]', 'did you mean ${version}?'],
    ['an unknown placeholder in the environment url', env('').replace('https://staging.example.com', 'https://${taget}.example.com'), 'environments.staging.url', 'did you mean ${target}?'],
    ['an unknown placeholder in a prerequisite file', env('validate:\n  prerequisites: { files: ["deploy/${targte}.env"] }'), 'validate.prerequisites.files[0]', 'did you mean ${target}?'],
    ['an unknown placeholder in the upload name', env('build: { upload: { name: "web-${verison}" } }'), 'build.upload.name', 'unknown placeholder ${verison} (did you mean ${version}?)'],
    ['an environment placeholder in the upload name', env('build: { upload: { name: "web-${environment}" } }'), 'build.upload.name', '${environment} cannot be used here (the uploaded artifact belongs to the run, not to one environment)'],
    ['an unknown placeholder in a reachable URL', env('validate:\n  prerequisites: { reachable: ["https://${tagret}.example.com/"] }'), 'validate.prerequisites.reachable[0]', 'did you mean ${target}?'],
    ['an environment variable in a check url, which nothing fills in', env('    smoke: { checks: [{ name: up, http: "https://x/${TOKEN}" }] }'), 'environments.staging.smoke.checks[0].http', '${TOKEN} is not a placeholder, and nothing else is filled in here'],
    ['${VERSION} in the tag', env('finalize: { tag: "v${VERSION}" }'), 'finalize.tag', '${VERSION} is not a placeholder, and nothing else is filled in here (did you mean ${version}?)'],
    ['${url} in a prerequisite, checked before any environment', env('validate:\n  prerequisites: { reachable: ["${url}/healthz"] }'), 'validate.prerequisites.reachable[0]', '${url} cannot be used here (prerequisites are checked before any environment is deployed)'],
    ['a placeholder in the local provider\'s path, which is never filled in', env('build: { artifacts: ["dist/**"] }').replace('    deploy: ./deploy.sh\n    rollback: ./rollback.sh\n', '    provider: local\n    path: /srv/${target}\n'), 'environments.staging.path', '${target} cannot be used here (the releases directory is fixed'],
    // URLs and addresses have their shape before anything runs.
    ['an environment url that is not a URL', env('').replace('https://staging.example.com', 'not a url'), 'environments.staging.url', 'expected an http:// or https:// URL, got "not a url"'],
    ['an http check that is not a URL', env('    smoke: { checks: [{ name: up, http: "localhost:8080/healthz" }] }'), 'environments.staging.smoke.checks[0].http', 'expected an http:// or https:// URL, got "localhost:8080/healthz"'],
    ['a probe that is not a URL once ${url} is filled in', env(`${production.replace('https://example.com', '"https://${target}.example.com"')}\nverify: { probes: ["\${version}/healthz"] }`), 'verify.probes[0]', 'expected an http:// or https:// URL, got "${version}/healthz" (with sample values: "1.0.0/healthz")'],
    ['a tcp check without a port', env('    smoke: { checks: [{ name: db, tcp: "db.internal" }] }'), 'environments.staging.smoke.checks[0].tcp', 'expected host:port, got "db.internal"'],
    ['a reachable entry that is neither', env('validate:\n  prerequisites: { reachable: ["db.internal:5432"] }'), 'validate.prerequisites.reachable[0]', 'expected an http(s):// URL or tcp://host:port, got "db.internal:5432"'],
  ])('%s is a problem', (_name, yaml, at, message) => {
    const problems = refuse(yaml);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(at);
    expect(problems[0]?.message).toContain(message);
  });

  test.each([
    ['placeholders and shell variables in commands', env('    snapshot: echo ${HOME} ${PATH} ${version} $foo \\${foo} ${foo:-x} ${#foo} ${http_proxy} ${_}')],
    ['variables in a quoted heredoc, which bash leaves alone', env("    snapshot: |\n      cat > run.sh <<'EOF'\n      echo ${name}\n      EOF\n      cat current")],
    ['variables the command sets itself', env('    snapshot: |\n      for f in *; do echo ${f}; done\n      x=1; echo ${x}; y+=2; echo ${y}\n      read -r line < current; echo ${line}\n      f2() { local dir="$1"; echo ${dir}; }\n      export out=a; declare -a list=(); echo ${out} ${list}\n      (( i = 1 << 2 )); echo ${i}')],
    ['${url} in a check of an environment with a url', env('    smoke: { checks: [{ name: up, http: "${url}/healthz", contains: "${version}" }] }')],
    ['${url} in verify when there is no production at all', env('verify: { probes: ["${url}/"] }')],
    ['an environment url made of placeholders', env('').replace('https://staging.example.com', 'https://${target}-${environment}.example.com')],
    ['a tcp check and a reachable address with placeholders', env('    smoke: { checks: [{ name: db, tcp: "db-${target}:5432" }] }\nvalidate:\n  prerequisites: { reachable: ["tcp://db.internal:5432", "https://${target}.example.com/v/${version}"], files: ["deploy/${target}.env"] }')],
    ['a valid semver range', env('validate:\n  prerequisites: { commands: ["node >=20 <25", "git ^2"] }')],
  ])('%s is accepted', (_name, yaml) => {
    accept(yaml);
  });

  test('an unknown placeholder is located at the placeholder itself, in a flow or a block scalar', () => {
    const problems = refuse(env(`    smoke: { checks: [{ name: up, http: "\${url}/v/\${verison}" }] }
  production:
    url: https://example.com
    deploy: |
      ./deploy.sh \\
        --version \${verison}
    rollback: ./r
    health: { checks: [{ name: up, http: "\${url}/" }] }`));
    expect(problems.map(({ line, column, message }) => [line, column, message.split(' (')[0]])).toEqual([
      [7, 51, 'unknown placeholder ${verison}'],
      [12, 19, 'unknown placeholder ${verison}'],
    ]);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meta-deploy-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads a file and records its absolute path', async () => {
    const file = path.join(dir, 'meta-deploy.yml');
    await writeFile(file, `version: 1\n${ENVIRONMENTS}`);
    const result = await loadConfig(file);
    expect(result).toMatchObject({ ok: true, config: { file } });
  });

  test('a missing file is a problem at 1:1 that names the path looked for', async () => {
    const file = path.join(dir, 'nope.yml');
    const problems = problemsOf(await loadConfig(file));
    expect(problems).toEqual([{ file, line: 1, column: 1, path: '', message: `config file not found (looked for ${file})` }]);
  });

  test('a directory is a problem, not an exception', async () => {
    const problems = problemsOf(await loadConfig(dir));
    expect(problems[0]?.message).toContain('it is a directory');
  });

  test('problems carry the file name as given', async () => {
    const file = path.join(dir, 'broken.yml');
    await writeFile(file, 'version: 3\n');
    const relative = path.relative(process.cwd(), file);
    const problems = problemsOf(await loadConfig(relative));
    expect(problems[0]?.file).toBe(relative);
  });
});

describe('verify timing', () => {
  test('an interval longer than the window is refused at the interval: no look would fall inside the window', () => {
    const problems = refuse(`version: 1\nverify: { window: 10s, interval: 30s, probes: ["https://example.com/"] }\n${ENVIRONMENTS}`);
    expect(problems).toEqual([expect.objectContaining({ path: 'verify.interval', message: 'the interval (30s) is longer than the window (10s): no look at the metrics would fall inside it' })]);
    expect(refuse(`version: 1\nverify: { window: 10s, probes: ["https://example.com/"] }\n${ENVIRONMENTS}`)[0]?.message).toContain('the interval (30s) is longer than the window (10s)');
    accept(`version: 1\nverify: { window: 30s, interval: 30s, probes: ["https://example.com/"] }\n${ENVIRONMENTS}`);
    // The default window (600s) counts too.
    expect(refuse(`version: 1\nverify: { interval: 11m, probes: ["https://example.com/"] }\n${ENVIRONMENTS}`)[0]?.message).toContain('the interval (11m 00s) is longer than the window (10m 00s)');
  });
});
