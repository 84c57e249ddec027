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
  else if (a === '-' || a === '--shim-worker') continue;
  else fail(`unsupported argument '${a}' (only --version, --standard-json, --base-path, --include-path, --allow-paths)`);
}
if (!standardJson && !args.includes('--shim-worker')) fail('only --standard-json mode is supported');

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

// One emscripten solc job runs in 32-bit wasm memory, and a job with ~100 large sources has been
// seen to crash with "memory access out of bounds". So a large job is split by output selection:
// every chunk still gets all sources (source ids and imports stay identical), but only compiles the
// contracts of its own files; chunks run as separate processes, one per core, and their outputs are
// merged. Splitting repeats parsing and analysis in every chunk, so it only starts above
// SPLIT_ABOVE_FILES selected files; SOLC_SHIM_CHUNK_FILES forces a chunk size (0 disables splitting).
const SPLIT_ABOVE_FILES = 64;
const MAX_CHUNK_FILES = 48;
const CHUNK_FILES = process.env.SOLC_SHIM_CHUNK_FILES === undefined ? null : Number(process.env.SOLC_SHIM_CHUNK_FILES);

function compileOne(inputText) {
  return solc.compile(inputText, { import: findImports });
}

function splitSelection(input) {
  const sel = (input.settings && input.settings.outputSelection) || {};
  const files = Object.keys(sel).filter((f) => f !== '*');
  if ('*' in sel || CHUNK_FILES === 0) return null;
  let size = CHUNK_FILES;
  if (size === null) {
    if (files.length <= SPLIT_ABOVE_FILES) return null;
    size = Math.ceil(files.length / Math.ceil(files.length / MAX_CHUNK_FILES));
  }
  if (files.length <= size) return null;
  const chunks = [];
  for (let i = 0; i < files.length; i += size) {
    const part = {};
    for (const f of files.slice(i, i + size)) part[f] = sel[f];
    chunks.push(part);
  }
  return chunks;
}

function runWorker(chunkInput) {
  const { spawn } = require('child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, '--shim-worker'], {
      env: { ...process.env, SOLC_SHIM_CHUNK_FILES: '0', SOLC_EXPECTED_VERSION: '' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`solc worker exited with ${code}`));
      resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
    });
    child.stdin.end(JSON.stringify(chunkInput));
  });
}

async function compileSplit(input, chunks) {
  const parallel = Math.max(1, require('os').cpus().length);
  const results = new Array(chunks.length);
  let next = 0;
  async function lane() {
    while (next < chunks.length) {
      const i = next++;
      const chunkInput = { ...input, settings: { ...input.settings, outputSelection: chunks[i] } };
      results[i] = await runWorker(chunkInput);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, chunks.length) }, lane));
  const merged = { contracts: {}, sources: {}, errors: [] };
  const seen = new Set();
  for (const r of results) {
    Object.assign(merged.contracts, r.contracts || {});
    for (const [name, src] of Object.entries(r.sources || {})) {
      // every chunk reports every source (id only); keep the entry that carries an AST if any
      if (!merged.sources[name] || src.ast) merged.sources[name] = src;
    }
    for (const e of r.errors || []) {
      const key = e.formattedMessage || JSON.stringify(e);
      if (!seen.has(key)) {
        seen.add(key);
        merged.errors.push(e);
      }
    }
  }
  if (merged.errors.length === 0) delete merged.errors;
  return merged;
}

async function main() {
  const inputText = fs.readFileSync(0, 'utf8');
  if (args.includes('--shim-worker')) {
    process.stdout.write(compileOne(inputText));
    return;
  }
  let input;
  try {
    input = JSON.parse(inputText);
  } catch (e) {
    process.stdout.write(compileOne(inputText));
    return;
  }
  const chunks = splitSelection(input);
  if (!chunks) {
    process.stdout.write(compileOne(inputText));
    return;
  }
  process.stdout.write(JSON.stringify(await compileSplit(input, chunks)));
}

main().catch((e) => fail(e.stack || String(e)));
