#!/usr/bin/env node
// Makes npm's emscripten solc answer like native solc for forge and foundry-compilers:
// `--standard-json` reads the input from stdin and writes the output to stdout.
// `--base-path`, `--include-path` and `--allow-paths` resolve imports the callers did not inline.
'use strict';
const fs = require('fs');
const path = require('path');

function fail(msg) {
  process.stderr.write(`tools/solc: ${msg}\n`);
  process.exit(1);
}

let solc;
try {
  solc = require(path.join(__dirname, '..', 'node_modules', 'solc'));
} catch (e) {
  fail("npm's solc is not installed (node_modules/solc missing): run 'npm ci' at the repository root");
}

const expected = process.env.SOLC_EXPECTED_VERSION;
if (expected && !solc.version().startsWith(expected)) {
  fail(`node_modules/solc is ${solc.version()} but tools/solc announces ${expected}: run 'npm ci'`);
}

const args = process.argv.slice(2);
let standardJson = false;
let basePath = process.cwd();
const includePaths = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const value = () => {
    if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
    i += 1;
    return args[i];
  };
  if (a === '--standard-json') standardJson = true;
  else if (a.startsWith('--base-path')) basePath = value();
  else if (a.startsWith('--include-path')) includePaths.push(value());
  else if (a.startsWith('--allow-paths')) value();
  else if (a === '-') continue;
  else fail(`unsupported argument '${a}' (only --version, --standard-json, --base-path, --include-path, --allow-paths)`);
}
if (!standardJson) fail('only --standard-json mode is supported');

function findImports(importPath) {
  const roots = [basePath, ...includePaths, ''];
  for (const root of roots) {
    const candidate = path.isAbsolute(importPath) ? importPath : path.resolve(root || '.', importPath);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return { contents: fs.readFileSync(candidate, 'utf8') };
    }
  }
  return { error: `File not found: ${importPath}` };
}

const input = fs.readFileSync(0, 'utf8');
const output = solc.compile(input, { import: findImports });
process.stdout.write(output);
