// npm's install step for this package: build the addon with node-gyp. If
// the build cannot happen (no compiler, no make or python, no Node headers)
// the install still succeeds, the TypeScript backend is used, and one line
// says so. The reason is kept in build/not-built.txt, which the error for
// createCrypto({ backend: 'native' }) quotes; the full log goes next to it.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'build');
const reasonFile = join(buildDir, 'not-built.txt');
const logFile = join(buildDir, 'not-built.log');

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
  const pick = (re) => {
    const hit = lines.find((l) => re.test(l));
    return hit?.replace(/^gyp ERR! (stack )?/, '');
  };
  return (
    pick(/No such file or directory|command not found|not found: /) ??
    pick(/: (fatal )?error: /) ??
    pick(/^gyp ERR! stack Error:/) ??
    pick(/^gyp ERR! /) ??
    lines.at(-1) ??
    'node-gyp failed without output'
  ).slice(0, 300);
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

if (process.env.TELEGRAM_MT_CRYPTO === 'js') {
  fallBack('skipped because TELEGRAM_MT_CRYPTO=js');
} else {
  const gyp = findNodeGyp();
  if (!gyp) {
    fallBack('node-gyp is not available');
  } else {
    const run = spawnSync(process.execPath, [gyp, 'rebuild'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const log = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
    if (run.status === 0 && existsSync(join(buildDir, 'Release', 'crypto_native.node'))) {
      rmSync(reasonFile, { force: true });
      rmSync(logFile, { force: true });
    } else {
      fallBack(run.error ? run.error.message : reasonFrom(log), log);
    }
  }
}
