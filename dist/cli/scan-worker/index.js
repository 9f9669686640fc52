import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 18:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 23:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: external "node:buffer"
const external_node_buffer_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./src/artifacts/text-windows.ts
// Reads a file as UTF-8 text in overlapping windows, so a pattern scanner sees every match whole while memory stays
// flat whatever the file size (a one-line 20 MiB bundle included: windows are cut by size, never by line). Each
// window "owns" the text between ownedFrom and ownedTo; the overlap on both sides is context only. A scanner that
// reports just the matches STARTING in the owned part reports each match exactly once, with its full left context,
// as long as no match is longer than the overlap. Binary files are recognised by content (NUL bytes or invalid
// UTF-8 in the first chunk), never by name.
//
// Windows are cut in the bytes, at character starts, and each is decoded once into one flat string: no string is
// built by concatenation (V8 copies such a string again when a regular expression first reads it). Line numbers are
// not counted as the windows go by: a window tells where a character is (positionIn), and lineNumbers reads the file
// again to turn those positions into lines, which only a file with findings needs.


/** 256 KiB owned per window: the overlap is scanned twice, so it costs 9 % here against 19 % at 128 KiB. V8 collects
 * a window's strings only once its young generation fills, so RSS grows by a few windows' worth before the first
 * collection (the scan workers run with an 8 MB young generation). 12 KiB of overlap on each side covers the longest
 * bounded pattern of the preset: a PEM private key block, at most 10,000 characters of body between its BEGIN and
 * END lines (about 10,100 characters in all). */
const WINDOW_DEFAULTS = { chunk: 256 * 1024, overlap: 12 * 1024 };
function countNewlines(text, to) {
    let count = 0;
    for (let index = text.indexOf('\n'); index !== -1 && index < to; index = text.indexOf('\n', index + 1))
        count++;
    return count;
}
function positionIn(window, index) {
    return { start: window.start, newlines: countNewlines(window.text, index) };
}
/** The 1-based line of each position in the file: one more read of the file, counting newline bytes (a newline is
 *  one byte in UTF-8 and is never part of another character, so bytes and decoded text agree on it). */
async function lineNumbers(file, positions) {
    const order = positions.map((_, index) => index).sort((a, b) => positions[a].start - positions[b].start);
    const lines = new Array(positions.length);
    const buffer = Buffer.alloc(WINDOW_DEFAULTS.chunk);
    const handle = await (0,promises_namespaceObject.open)(file, 'r');
    try {
        let offset = 0;
        let newlines = 0;
        for (const index of order) {
            const { start, newlines: inWindow } = positions[index];
            // A file found shorter than when it was scanned ends the count at its end.
            for (let bytesRead = -1; offset < start && bytesRead !== 0;) {
                ({ bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, start - offset), offset));
                const bytes = buffer.subarray(0, bytesRead);
                for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1))
                    newlines++;
                offset += bytesRead;
            }
            lines[index] = 1 + newlines + inWindow;
        }
    }
    finally {
        await handle.close();
    }
    return lines;
}
/** Why the first chunk says the file is not text, or undefined when it is. */
function binaryReason(bytes) {
    if (bytes.includes(0))
        return 'binary content (NUL bytes)';
    try {
        // stream: true tolerates a character cut at the end of the chunk.
        new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
        return undefined;
    }
    catch {
        return 'binary content (not UTF-8)';
    }
}
const isContinuation = (byte) => byte >= 0x80 && byte < 0xc0;
/** The start of the character at or before `at` (at most 3 bytes back: no UTF-8 character is longer). Decoding the
 *  bytes on both sides of such a cut apart gives the same text as decoding them together, invalid bytes included: a
 *  decoder still inside a character there gives U+FFFD for it either way. */
function characterStart(bytes, at) {
    for (let index = at; index > at - 4 && index >= 0; index--)
        if (!isContinuation(bytes[index]))
            return index;
    return at;
}
/**
 * Calls `visit` on each window of the file in order. Returns the reason when the file is binary (no window is
 * visited), or undefined once the whole file was visited. Bytes after the first chunk that are not UTF-8 are read
 * as U+FFFD, which cannot be part of a match.
 */
async function forEachTextWindow(file, visit, { chunk, overlap } = WINDOW_DEFAULTS) {
    if (chunk < overlap || overlap < 4)
        throw new Error(`window chunk (${chunk}) must be at least the overlap (${overlap}), and that at least 4 bytes`);
    // A U+FEFF stays in the text wherever it is: a decoder that dropped it at the start of each decode would make the
    // parts decoded apart shorter than the same characters in the whole window.
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    // One buffer, reused for every window: the left context, the owned bytes, the right context, and 4 bytes more: a
    // left context may start up to 3 bytes early (at a character), and a cut needs the byte after it. Memory stays flat without waiting for the garbage collector.
    const buffer = Buffer.alloc(chunk + 2 * overlap + 4);
    const handle = await (0,promises_namespaceObject.open)(file, 'r');
    try {
        let start = 0; // file offset of buffer[0], the start of the next window's text
        let filled = 0;
        let owned = 0; // where the next window's owned bytes start, in the buffer
        let end = false;
        for (;;) {
            while (!end && filled < buffer.length) {
                const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
                if (bytesRead === 0)
                    end = true;
                if (start === 0 && filled === 0 && bytesRead > 0) {
                    const reason = binaryReason(buffer.subarray(0, Math.min(bytesRead, chunk)));
                    if (reason)
                        return reason;
                }
                filled += bytesRead;
            }
            if (owned >= filled)
                return undefined;
            const cut = (at) => (end && at >= filled ? filled : characterStart(buffer, at));
            const ownedEnd = cut(owned + chunk);
            const textEnd = cut(ownedEnd + overlap);
            const bytes = buffer.subarray(0, textEnd);
            const text = decoder.decode(bytes);
            // Offsets in the text are offsets in the bytes when every byte is ASCII; otherwise the two contexts are decoded
            // apart (an overlap each, not the owned bytes again).
            const ascii = (0,external_node_buffer_namespaceObject.isAscii)(bytes);
            const ownedFrom = ascii ? owned : decoder.decode(buffer.subarray(0, owned)).length;
            const ownedTo = ascii ? ownedEnd : text.length - decoder.decode(buffer.subarray(ownedEnd, textEnd)).length;
            await visit({ text, ownedFrom, ownedTo, start });
            // The next window's text starts one overlap before its owned bytes.
            const keep = characterStart(buffer, Math.max(0, ownedEnd - overlap));
            buffer.copyWithin(0, keep, filled);
            start += keep;
            filled -= keep;
            owned = ownedEnd - keep;
        }
    }
    finally {
        await handle.close();
    }
}

;// CONCATENATED MODULE: ./src/artifacts/scan-file.ts

const DECLARED_CREDENTIAL_RULE = 'meta-deploy/declared-credential';
/** First 4 characters and an ellipsis: enough to recognise, never the secret. */
function maskSecret(secret) {
    return `${secret.slice(0, Math.min(4, Math.floor(secret.length / 4)))}…`;
}
function declaredValues(window, values) {
    const found = [];
    for (const value of values) {
        for (let index = window.text.indexOf(value); index !== -1; index = window.text.indexOf(value, index + 1)) {
            found.push({ index, length: value.length, rule: DECLARED_CREDENTIAL_RULE });
        }
    }
    return found;
}
async function scanFile(scanner, file, values, window = WINDOW_DEFAULTS) {
    const found = [];
    const unscanned = await forEachTextWindow(file, async (part) => {
        const matches = [...(await scanner.scan(part)), ...declaredValues(part, values)];
        for (const match of matches.filter((one) => one.index >= part.ownedFrom && one.index < part.ownedTo)) {
            found.push({ at: positionIn(part, match.index), rule: match.rule, masked: maskSecret(part.text.slice(match.index, match.index + match.length)) });
        }
    }, window);
    if (unscanned)
        return { findings: [], unscanned };
    const lines = found.length > 0 ? await lineNumbers(file, found.map(({ at }) => at)) : [];
    return { findings: found.map(({ rule, masked }, index) => ({ line: lines[index], rule, masked })) };
}

;// CONCATENATED MODULE: ./src/artifacts/secretlint-scanner.ts
const AWS_RULE = '@secretlint/secretlint-rule-aws';
/** Written for @secretlint/secretlint-rule-preset-recommend 13.1.0, whose AWS rule has three patterns, all case-
 *  sensitive: an access key id starts with one of these nine prefixes, a secret access key follows SECRET, secret or
 *  Secret, an account id follows ACCOUNT, account or Account. A window without any of them cannot match. A test
 *  pins the preset's version, so an upgrade brings this list back for review. */
const AWS_ANCHORS = /A3T|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|SECRET|[Ss]ecret|ACCOUNT|[Aa]ccount/;
/** Loads secretlint (large: only when there is something to scan). */
async function loadSecretlint() {
    const [{ lintSource }, { secretLintProfiler }, { creator }, { default: core }] = await Promise.all([
        __nccwpck_require__.e(/* import() */ 707).then(__nccwpck_require__.bind(__nccwpck_require__, 707)),
        __nccwpck_require__.e(/* import() */ 806).then(__nccwpck_require__.bind(__nccwpck_require__, 806)),
        __nccwpck_require__.e(/* import() */ 577).then(__nccwpck_require__.bind(__nccwpck_require__, 577)),
        __nccwpck_require__.e(/* import() */ 175).then(__nccwpck_require__.t.bind(__nccwpck_require__, 175, 19)),
    ]);
    // The profiler is on by default and keeps every performance mark of every call: scanning slows down as it goes
    // (a linear search over them per mark) and memory grows with the number of windows scanned.
    secretLintProfiler.setEnabled(false);
    const rules = creator.rules.map((rule) => ({ id: rule.meta.id, rule, options: rule.meta.id === AWS_RULE ? { enableIDScanRule: true } : {} }));
    const everyRule = { rules };
    const withoutAws = { rules: rules.filter((rule) => rule.id !== AWS_RULE) };
    return {
        name: `secretlint ${core.version} (preset-recommend)`,
        async scan(window) {
            const config = AWS_ANCHORS.test(window.text) ? everyRule : withoutAws;
            const result = await lintSource({
                source: { filePath: 'artifact', content: window.text, contentType: 'text', ext: '' },
                options: { config, noPhysicFilePath: true },
            });
            // secretlint drops a U+FEFF that starts its text, and counts from the character after it.
            const shift = window.text.charCodeAt(0) === 0xfeff ? 1 : 0;
            return result.messages.map((message) => ({ index: message.range[0] + shift, length: message.range[1] - message.range[0], rule: message.ruleId }));
        },
    };
}

;// CONCATENATED MODULE: ./src/artifacts/scan-worker.ts
// A scan worker thread: loads secretlint once, then scans the files it is sent, one at a time, and answers each with
// its findings (masked) or the reason it could not be scanned. Bundled as its own entry (dist/scan-worker/), started
// by scan-pool.ts.



const scanner = loadSecretlint();
external_node_worker_threads_namespaceObject.parentPort.on('message', ({ id, file, values, window }) => {
    scanner
        .then((loaded) => scanFile(loaded, file, values, window))
        .then((scan) => external_node_worker_threads_namespaceObject.parentPort.postMessage({ id, scan }), (error) => external_node_worker_threads_namespaceObject.parentPort.postMessage({ id, error: error.message }));
});
scanner.then((loaded) => external_node_worker_threads_namespaceObject.parentPort.postMessage({ ready: loaded.name }), (error) => external_node_worker_threads_namespaceObject.parentPort.postMessage({ failed: error.message }));

