export const id = 175;
export const ids = [175];
export const modules = {

/***/ 175:
/***/ ((module) => {

module.exports = /*#__PURE__*/JSON.parse('{"name":"@secretlint/core","version":"13.1.0","description":"Core library for @secretlint.","keywords":["secretlint"],"homepage":"https://github.com/secretlint/secretlint/tree/master/packages/@secretlint/core/","bugs":{"url":"https://github.com/secretlint/secretlint/issues"},"repository":{"type":"git","url":"https://github.com/secretlint/secretlint.git"},"license":"MIT","author":"azu","type":"module","exports":{".":{"import":{"types":"./module/index.d.ts","default":"./module/index.js"},"default":"./module/index.js"},"./package.json":"./package.json"},"main":"./module/index.js","types":"./module/index.d.ts","directories":{"lib":"lib","test":"test"},"files":["bin/","module/","src/"],"prettier":{"printWidth":120,"singleQuote":false,"tabWidth":4},"dependencies":{"debug":"^4.4.3","structured-source":"^4.0.0","@secretlint/profiler":"13.1.0","@secretlint/types":"13.1.0"},"devDependencies":{"@types/debug":"^4.1.13","@types/node":"^25.9.9","assert-json-equal":"^2.0.0","prettier":"^3.8.3","tsx":"^4.23.15","typescript":"^6.0.3"},"engines":{"node":">=22.0.0"},"publishConfig":{"access":"public"},"scripts":{"build":"tsc --build","clean":"tsc --build --clean","prettier":"prettier --write \\"**/*.{js,jsx,ts,tsx,css}\\"","prepublish":"npm run --if-present build","test":"vitest run","watch":"tsc --build --watch"}}');

/***/ })

};
