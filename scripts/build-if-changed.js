#!/usr/bin/env node
/*
 * Skips `npm run build` when nothing it reads has changed since the last
 * successful build. `nest build` empties its output folder first, so the
 * age of dist/ says nothing; instead the build records a hash of its inputs
 * (sources, configs, package-lock) in dist/.build-stamp when it succeeds.
 *
 *   node scripts/build-if-changed.js           build unless the stamp matches the inputs
 *   node scripts/build-if-changed.js --begin   (first step of `npm run build`) forget the stamp, note the inputs' hash
 *   node scripts/build-if-changed.js --done    (last step of `npm run build`) the build succeeded: record that hash
 *   node scripts/build-if-changed.js --check   exit 0 if the build is current, 1 if not
 */
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, mkdirSync } = require('node:fs');
const { join, relative, sep } = require('node:path');

const root = join(__dirname, '..');
const STAMP = join(root, 'dist', '.build-stamp');
const PENDING = `${STAMP}.pending`;
const INPUT_DIRS = ['apps', 'libs', 'migrations'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'nest-cli.json', relative(root, __filename)];
const OUTPUTS = ['dist/apps/server/apps/server/src/main.js', 'dist/apps/cli/apps/cli/src/main.js'];

function files(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path);
      return entry.isFile() ? [path] : [];
    });
}

function inputsHash() {
  const hash = createHash('sha256');
  const paths = [...INPUT_DIRS.flatMap(files), ...INPUT_FILES.filter((f) => existsSync(join(root, f)))].sort();
  for (const path of paths) {
    hash.update(path.split(sep).join('/')).update('\0').update(readFileSync(join(root, path))).update('\0');
  }
  return hash.digest('hex');
}

function isCurrent() {
  if (!OUTPUTS.every((f) => existsSync(join(root, f)))) return false;
  try {
    return readFileSync(STAMP, 'utf8').trim() === inputsHash();
  } catch {
    return false;
  }
}

const mode = process.argv[2];
if (mode === '--begin') {
  rmSync(STAMP, { force: true });
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(PENDING, `${inputsHash()}\n`);
} else if (mode === '--done') {
  renameSync(PENDING, STAMP);
} else if (mode === '--check') {
  process.exitCode = isCurrent() ? 0 : 1;
} else if (mode === undefined) {
  if (isCurrent()) {
    console.log('build is up to date (no source, config or lock file changed since the last build): not building');
  } else {
    // npm sets npm_execpath when it runs a script; outside npm, fall back to `npm` on the PATH.
    const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
    const run = spawnSync(npm[0], [...npm[1], 'run', 'build'], { cwd: root, stdio: 'inherit', shell: !process.env.npm_execpath && process.platform === 'win32' });
    process.exitCode = run.status ?? 1;
  }
} else {
  console.error(`unknown option ${mode}`);
  process.exitCode = 2;
}
