import { lintSource } from '@secretlint/core';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
const config = { rules: [{ id: creator.meta.id, rule: creator, rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }] }] };
const S = [
  'function t(e,n){var r=Object.keys(e);return r.filter(function(o){return e[o]!==n}).map(function(o){return o+"="+encodeURIComponent(e[o])}).join("&")}',
  'var a=require("./chunk-4f2a.js"),s=a.createElement("div",{className:"card",onClick:function(){return l(!0)}},a.createElement("span",null,i.title));',
  '  {\n    "id": 48213,\n    "name": "Widget Pro 2",\n    "price": 129.5,\n    "tags": ["tools", "garden"],\n    "url": "https://shop.example.com/p/48213"\n  },\n',
  '"mappings":"AAAA,SAASA,EAAEC,GAAG,OAAOA,EAAEC,IAAIC,CAAC,CAAC,AACrB,IAAIC,EAAE,CAAC,EAAE,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC,CAAC",',
];
for (const [i,s] of S.entries()) for (const size of [140*1024, 1024*1024]) {
  const text = s.repeat(Math.ceil(size/s.length)).slice(0,size);
  const t = performance.now();
  await lintSource({ source: { filePath: 'a', content: text, contentType: 'text', ext: '' }, options: { config, noPhysicFilePath: true } });
  console.log(i, size, ((size/1e6)/((performance.now()-t)/1000)).toFixed(1), 'MB/s');
}
