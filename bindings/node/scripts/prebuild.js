#!/usr/bin/env node
'use strict';
// Puts the native library into prebuilds/<platform>-<arch>/v2tim.node, where index.js looks.
//
//   node scripts/prebuild.js            builds it (cargo build --release --features node, at
//                                       the repository root) and copies it
//   node scripts/prebuild.js LIBRARY    copies LIBRARY (a libv2tim built with `--features node`)
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const names = { linux: 'libv2tim.so', darwin: 'libv2tim.dylib', win32: 'v2tim.dll' };
let lib = process.argv[2];
if (!lib) {
  const root = path.resolve(__dirname, '..', '..', '..');
  execFileSync('cargo', ['build', '--release', '-p', 'v2tim', '--lib', '--features', 'node'], { cwd: root, stdio: 'inherit' });
  lib = path.join(root, 'target', 'release', names[process.platform] || names.linux);
}
const dir = path.join(__dirname, '..', 'prebuilds', `${process.platform}-${process.arch}`);
fs.mkdirSync(dir, { recursive: true });
const out = path.join(dir, 'v2tim.node');
fs.copyFileSync(lib, out);
// Symbols only make the download bigger (Node finds the addon by napi_register_module_v1,
// which stripping keeps: it is exported). Skipped where there is no strip (Windows).
if (process.platform !== 'win32') {
  try {
    execFileSync('strip', process.platform === 'darwin' ? ['-x', out] : [out]);
  } catch (e) {
    console.warn(`prebuild: not stripped (${e.message})`);
  }
}
console.log(`prebuild: ${lib} -> ${path.relative(process.cwd(), out)} (${fs.statSync(out).size} bytes)`);
