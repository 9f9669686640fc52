import { lintSource } from '@secretlint/core';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
const config = { rules: [{ id: creator.meta.id, rule: creator, rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }] }] };
const s = 'function t(e,n){var r=Object.keys(e);return r.filter(function(o){return e[o]!==n}).map(function(o){return o+"="+encodeURIComponent(e[o])}).join("&")}';
for (const size of [100, 100, 140*1024, 140*1024, 140*1024, 512*1024, 512*1024, 2048*1024]) {
  const text = s.repeat(Math.ceil(size/s.length)).slice(0,size);
  const t = performance.now();
  for (let i=0;i<5;i++) await lintSource({ source: { filePath: 'a', content: text, contentType: 'text', ext: '' }, options: { config, noPhysicFilePath: true } });
  const ms=(performance.now()-t)/5; console.log(size, ms.toFixed(1),'ms', ((size/1e6)/(ms/1000)).toFixed(1), 'MB/s');
}
