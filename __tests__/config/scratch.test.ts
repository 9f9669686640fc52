import { parseConfig } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';
const texts = {
a: `version: 2
targets:
  web: {}
  "bad name": {}
validate:
  tests:
    - { nmae: unit, run: npm test }
  review:
    approvals: two
    checks:
      - { name: lint, category: securty, run: x }
build:
  artefacts: []
  max-size: huge
environments:
  staging:
    url: https://s
    deploy: x
    heatlh: {}
    health: {}
    smoke:
      timeout: fast
      interval: -5s
      checks:
        - { name: a }
        - { name: b, http: x, tcp: y }
        - { name: c, htpp: x }
        - name: d
          http: x
          max-latncy: 5s
          timeout:
  prod: {}
finalize:
  tag: 2024
  notify: [{slack: {}}, {}]
`,
b: `version: 1
environments:
  staging:
    deploy: ./d
    path: /x
    smoke:
      checks:
        - { name: h, http: "\${url}/x" }
        - { name: t, tcp: "\${host}:5" , status: 200}
  production:
    provider: local
    rollback: x
verify:
  probes: ["\${url}/", "\${verison}"]
finalize:
  tag: "v\${version}-\${foo}"
targets:
  a: {}
  b: { environments: { staging: { url: https://x } } }
`,
c: `version: 1
validate:
  prerequisites:
    commands: ["kubectl >=1.x.y.z", "rsync"]
environments:
  staging: { deploy: a, rollback: b }
`,
d: `version: 1
environments:
\tstaging: {}
`,
e: `version: 1
environments:
  staging:
    deploy: "abc
`,
f: `version: 1
environments:
  staging:
     deploy: a
    rollback: b
`,
};
for (const [k, t] of Object.entries(texts)) {
  const r = parseConfig(t, 'f.yml');
  console.log('---', k);
  if (r.ok) console.log(JSON.stringify(r.config, null, 1)); else for (const p of r.problems) console.log(formatProblem(p));
}
import {test} from 'vitest'; test('x', () => {});
