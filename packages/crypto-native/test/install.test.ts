// The install path: without the addon the package still loads, uses the
// TypeScript backend, and explains itself when `native` is asked for.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import test from 'ava';

const pkg = fileURLToPath(new URL('..', import.meta.url));

/** A copy of the package's sources with no build/ directory. */
function copyWithoutAddon(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgmt-crypto-'));
  cpSync(join(pkg, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(pkg, 'package.json'), join(dir, 'package.json'));
  return dir;
}

test('with the addon hidden, auto falls back to js and native says why', async (t) => {
  const dir = copyWithoutAddon();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const mod = await import(pathToFileURL(join(dir, 'src', 'index.ts')).href);
  t.is(mod.defaultCrypto.backend, 'js');
  t.is(mod.createCrypto().backend, 'js');
  t.deepEqual(mod.factorizePQ(0x17ed48941a08f981n), [0x494c553bn, 0x53911073n]);
  const err = t.throws(() => mod.createCrypto({ backend: 'native' }), { name: 'NativeBackendUnavailableError' });
  t.regex(err!.message, /crypto backend 'native' is unavailable: the native addon is not built/);
  t.regex(err!.message, /crypto_native\.node is missing/);
  t.regex(mod.nativeInfo().unavailable, /not built/);
});

test('the reason recorded at install time is quoted', async (t) => {
  const dir = copyWithoutAddon();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'build'));
  writeFileSync(join(dir, 'build', 'not-built.txt'), 'make: g++: No such file or directory\n');
  const mod = await import(pathToFileURL(join(dir, 'src', 'index.ts')).href);
  t.throws(() => mod.createCrypto({ backend: 'native' }), {
    message: /install-time build failed: make: g\+\+: No such file or directory/,
  });
});

test('TELEGRAM_MT_CRYPTO=js makes auto pick the TypeScript backend', (t) => {
  const script = `import('./src/index.ts').then((m) => console.log(m.defaultCrypto.backend, m.createCrypto({ backend: 'auto' }).backend))`;
  const run = (env: Record<string, string>): string =>
    execFileSync(process.execPath, ['--import=tsx', '-e', script], {
      cwd: pkg,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    }).trim();
  t.is(run({ TELEGRAM_MT_CRYPTO: 'js' }), 'js js');
  if (existsSync(join(pkg, 'build', 'Release', 'crypto_native.node'))) {
    t.is(run({ TELEGRAM_MT_CRYPTO: '' }), 'native native');
  }
  const bad = spawnSync(process.execPath, ['--import=tsx', '-e', script], {
    cwd: pkg,
    env: { ...process.env, TELEGRAM_MT_CRYPTO: 'fast' },
    encoding: 'utf8',
  });
  t.not(bad.status, 0);
  t.regex(bad.stderr, /TELEGRAM_MT_CRYPTO must be 'js', 'native' or 'auto', got fast/);
});

test('install without a C++ compiler succeeds, prints one line and records why', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tgmt-crypto-install-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['binding.gyp', 'native', 'scripts', 'package.json']) {
    cpSync(join(pkg, f), join(dir, f), { recursive: true });
  }
  symlinkSync(join(pkg, '..', '..', 'node_modules'), join(dir, 'node_modules'));
  // The system's tools on PATH, minus every C/C++ compiler.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const compiler = /^(cc|c\+\+|gcc|g\+\+|clang|clang\+\+|cpp)(-[\d.]+)?$|-(gcc|g\+\+|cc|c\+\+)(-[\d.]+)?$/;
  for (const d of ['/usr/local/bin', '/usr/bin', '/bin']) {
    if (!existsSync(d)) continue;
    for (const tool of readdirSync(d)) {
      if (compiler.test(tool) || existsSync(join(bin, tool))) continue;
      symlinkSync(join(d, tool), join(bin, tool));
    }
  }
  if (!existsSync(join(bin, 'node'))) symlinkSync(process.execPath, join(bin, 'node'));
  const env: Record<string, string> = { PATH: bin, HOME: process.env.HOME ?? dir };
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('npm_config_') && v !== undefined) env[k] = v;
  }
  env.npm_config_nodedir ??= '/usr';
  // Under setsid there is no controlling terminal, so the line goes only to
  // stderr (the script also writes it to /dev/tty when npm hides stderr).
  const setsid = ['/usr/bin/setsid', '/bin/setsid'].find((p) => existsSync(p));
  const argv = [process.execPath, 'scripts/install.mjs'];
  const run = setsid
    ? spawnSync(setsid, argv, { cwd: dir, env, encoding: 'utf8' })
    : spawnSync(argv[0]!, argv.slice(1), { cwd: dir, env, encoding: 'utf8' });
  t.is(run.status, 0, run.stderr);
  const lines = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '');
  t.is(lines.length, 1, lines.join('\n'));
  t.regex(lines[0]!, /^@telegram-mt\/crypto-native: native addon not built \(.+\); using the TypeScript backend$/);
  t.regex(lines[0]!, /g\+\+|c\+\+|cc/, 'the line names the missing compiler');
  t.false(existsSync(join(dir, 'build', 'Release', 'crypto_native.node')));
  t.true(readFileSync(join(dir, 'build', 'not-built.txt'), 'utf8').trim().length > 0);
});

test('install builds the addon quietly, and a second install with the same sources keeps it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tgmt-crypto-build-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['binding.gyp', 'native', 'scripts', 'package.json']) {
    cpSync(join(pkg, f), join(dir, f), { recursive: true });
  }
  symlinkSync(join(pkg, '..', '..', 'node_modules'), join(dir, 'node_modules'));
  const install = (): string => {
    const run = spawnSync(process.execPath, ['scripts/install.mjs'], { cwd: dir, encoding: 'utf8' });
    t.is(run.status, 0, run.stderr);
    return `${run.stdout}${run.stderr}`.trim();
  };
  t.is(install(), '');
  const addon = join(dir, 'build', 'Release', 'crypto_native.node');
  const loaded = execFileSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(addon)}).aesImplementation)`], {
    encoding: 'utf8',
  }).trim();
  t.regex(loaded, /^(aes-ni|armv8-aes|portable)$/);
  const built = statSync(addon).mtimeMs;
  t.is(install(), '');
  t.is(statSync(addon).mtimeMs, built, 'unchanged sources: not rebuilt');
});
