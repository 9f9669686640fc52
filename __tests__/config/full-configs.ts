// Two configs that between them set every key the schema accepts to a non-default value: the first with a command
// staging and a local production, the second the other way round (a provider's keys cannot share one environment).
// Target `web` overrides every section; target `api` inherits everything, so top-level values are never shadowed.

const checks = () => [
  { name: 'Health endpoint', http: '${url}/healthz', status: 204, contains: 'ok', 'max-latency': '750ms', timeout: '4s' },
  { name: 'Database', tcp: 'db.internal:5432', timeout: '3s' },
  { name: 'Auth flow', run: 'npm run smoke:auth', timeout: '45s' },
];

const shared = {
  version: 1,
  'state-dir': '.state/deploys',
  'lock-timeout': '20m',
  validate: {
    tests: [{ name: 'unit', run: 'npm test', junit: 'reports/unit.xml', timeout: '7m' }],
    review: { approvals: 2, 'no-pull-request': 'pass', checks: [{ name: 'lint', category: 'security', run: 'npm run lint', timeout: '90s' }] },
    prerequisites: {
      env: ['DEPLOY_TOKEN'],
      commands: ['rsync', 'kubectl >=1.28'],
      files: ['deploy/production.env'],
      disk: '3GiB',
      reachable: ['https://staging.example.com/healthz', 'tcp://db.internal:5432'],
    },
  },
  build: { run: 'npm ci && npm run build', artifacts: ['dist/**', '!dist/**/*.map'], 'max-size': '450MiB', 'secrets-scan': false, 'secrets-allow': ['vendor/**', '@secretlint/secretlint-rule-npm'], unscanned: 'fail', keep: 3, timeout: '12m', 'verify-before-deploy': 'size-mtime', upload: { name: 'shop-${target}-${sha}', 'retention-days': 30 } },
  verify: {
    window: '15m',
    interval: '45s',
    'error-rate': { max: 0.02, 'max-increase': 0.004 },
    'latency-p95': { 'max-ratio': 1.25 },
    confidence: 0.99,
    'min-samples': 30,
    'on-inconclusive': 'rollback',
    'on-no-data': 'pass',
    probes: ['${url}/', '${url}/healthz'],
    'probe-rate': 12,
    'probe-concurrency': 6,
    smoke: [{ name: 'Home page', http: '${url}/', status: 200, timeout: '5s' }],
    prometheus: { url: 'http://prometheus.internal:9090', headers: { Authorization: 'PROMETHEUS_AUTH' }, timeout: '7s' },
    metrics: [
      {
        name: 'errors',
        prometheus: { errors: 'sum(increase(http_requests_total{code=~"5.."}[${interval}]))', total: 'sum(increase(http_requests_total[${interval}]))' },
        max: 0.03,
        'max-increase': 0.002,
      },
      { name: 'p95', prometheus: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[${interval}])))', unit: 's', 'max-ratio': 1.75, 'min-samples': 5 },
      { name: 'requests', prometheus: 'sum(rate(http_requests_total[${interval}]))', unit: 'rps', 'min-ratio': 0.6 },
      { name: 'rss', command: './metrics.sh memory ${baseline_from} ${now}', timeout: '20s', unit: 'bytes', 'max-ratio': 1.4 },
    ],
  },
  finalize: {
    tag: 'release-${version}',
    release: false,
    changelog: false,
    notify: [{ slack: { 'webhook-env': 'SLACK_WEBHOOK_URL' } }, { teams: { 'webhook-env': 'TEAMS_WEBHOOK_URL' } }, { webhook: { 'url-env': 'DEPLOY_WEBHOOK' } }, { 'github-issue': { labels: ['incident'] } }],
  },
};

const commandEnvironment = {
  url: 'https://staging.example.com',
  provider: 'command',
  deploy: './deploy.sh',
  rollback: './rollback.sh',
  snapshot: './current.sh',
  'command-timeout': '4m',
  requires: ['config/staging.json'],
};

const localEnvironment = {
  url: 'https://example.com',
  provider: 'local',
  path: '/srv/app',
  keep: 3,
  'command-timeout': '6m',
  requires: ['config/production.json'],
};

const overrides = {
  validate: { review: { approvals: 4 } },
  build: { run: 'make web' },
  environments: { production: { url: 'https://web.example.com' } },
  verify: { window: '20m' },
  finalize: { tag: 'web-v${version}' },
};

export const FULL_CONFIGS: Record<string, unknown>[] = [
  {
    ...shared,
    targets: { web: overrides, api: {} },
    environments: {
      staging: { ...commandEnvironment, smoke: { timeout: '4m', interval: '3s', 'failure-threshold': 5, 'success-threshold': 2, checks: checks() } },
      production: { ...localEnvironment, health: { timeout: '45s', interval: '1500ms', 'failure-threshold': 4, 'success-threshold': 3, checks: checks() } },
    },
  },
  {
    ...shared,
    targets: { web: overrides, api: {} },
    environments: {
      staging: { ...localEnvironment, url: 'https://staging.example.com', smoke: { timeout: '4m', interval: '3s', 'failure-threshold': 5, 'success-threshold': 2, checks: checks() } },
      production: { ...commandEnvironment, url: 'https://example.com', health: { timeout: '45s', interval: '1500ms', 'failure-threshold': 4, 'success-threshold': 3, checks: checks() } },
    },
  },
];
