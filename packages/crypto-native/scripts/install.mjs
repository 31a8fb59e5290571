// npm's install step for this package: build the addon with node-gyp. If
// the build cannot happen (no compiler, no make or python, no Node headers)
// the install still succeeds, the TypeScript backend is used, and one line
// says so. The reason is kept in build/not-built.txt, which the error for
// createCrypto({ backend: 'native' }) quotes; the full log goes next to it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'build');
const reasonFile = join(buildDir, 'not-built.txt');
const logFile = join(buildDir, 'not-built.log');
const addonFile = join(buildDir, 'Release', 'crypto_native.node');
// What the current addon was built from. npm reruns this script for every
// workspace on each install anywhere in the repo; rebuilding an unchanged
// addon would only make it vanish for the seconds the build takes.
const stampFile = join(buildDir, 'built-from.json');

function sourceStamp() {
  const h = createHash('sha256');
  h.update(readFileSync(join(root, 'binding.gyp')));
  const dir = join(root, 'native');
  for (const f of readdirSync(dir).sort()) {
    if (/\.(cc|h)$/.test(f)) h.update(f).update(readFileSync(join(dir, f)));
  }
  return JSON.stringify({ sources: h.digest('hex'), platform: process.platform, arch: process.arch, napi: process.versions.napi });
}

function findNodeGyp() {
  // npm passes its own bundled node-gyp to install scripts.
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return undefined;
  }
}

/** The most telling line of node-gyp's output. */
function reasonFrom(output) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const pick = (re) => lines.find((l) => re.test(l));
  const download = pick(/headers\.tar\.gz .*failed with (\w+)/);
  if (download) {
    const code = /failed with (\w+)/.exec(download)[1];
    return `could not download Node's headers (${code}); set npm_config_nodedir to a Node source or headers directory`;
  }
  const hit =
    pick(/No such file or directory|command not found|not found: /) ?? pick(/: (fatal )?error: /) ?? pick(/^gyp: /);
  if (hit) return hit.replace(/^gyp ERR! (stack )?/, '').slice(0, 300);
  // node-gyp's own error: the "stack Error:" line and its continuation.
  const at = lines.findIndex((l) => l.startsWith('gyp ERR! stack Error:'));
  if (at >= 0) {
    const parts = [];
    for (let i = at; i < lines.length && /^gyp ERR! stack (?!at )/.test(lines[i]); i++) {
      parts.push(lines[i].replace(/^gyp ERR! stack (Error: )?/, ''));
    }
    return parts.join(' ').slice(0, 300);
  }
  return (pick(/^gyp ERR! /) ?? lines.at(-1) ?? 'node-gyp failed without output').slice(0, 300);
}

/** Node's own headers, when its install ships them, so no download is needed. */
function localNodeDir() {
  if (process.env.npm_config_nodedir) return undefined; // node-gyp reads it itself
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? prefix : undefined;
}

function fallBack(reason, log) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(reasonFile, `${reason}\n`);
  if (log) writeFileSync(logFile, log);
  const line = `@telegram-mt/crypto-native: native addon not built (${reason}); using the TypeScript backend`;
  console.warn(line);
  // npm keeps a successful install script's output to itself; when it does,
  // say it on the terminal instead, so the one line is seen.
  if (!process.stderr.isTTY) {
    try {
      const tty = openSync('/dev/tty', 'w');
      writeSync(tty, `${line}\n`);
      closeSync(tty);
    } catch {
      // no terminal (CI, Windows): the line stays in npm's output
    }
  }
}

const stamp = sourceStamp();
const upToDate = () => {
  try {
    return existsSync(addonFile) && readFileSync(stampFile, 'utf8') === stamp;
  } catch {
    return false;
  }
};

if (process.env.TELEGRAM_MT_CRYPTO === 'js') {
  fallBack('skipped because TELEGRAM_MT_CRYPTO=js');
} else if (upToDate() && process.env.TELEGRAM_MT_CRYPTO_REBUILD !== '1') {
  // already built from these sources
} else {
  const gyp = findNodeGyp();
  if (!gyp) {
    fallBack('node-gyp is not available');
  } else {
    // configure + build rather than rebuild: no clean first, so an existing
    // addon stays loadable until the new one replaces it.
    const nodedir = localNodeDir();
    const args = [gyp, 'configure', 'build', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
    const run = spawnSync(process.execPath, args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const log = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
    if (run.status === 0 && existsSync(addonFile)) {
      rmSync(reasonFile, { force: true });
      rmSync(logFile, { force: true });
      writeFileSync(stampFile, stamp);
    } else {
      // Never leave an addon built from other sources behind a failed build.
      rmSync(addonFile, { force: true });
      rmSync(stampFile, { force: true });
      fallBack(run.error ? run.error.message : reasonFrom(log), log);
    }
  }
}
