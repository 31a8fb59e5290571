import test from 'ava';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateRsaKeyPair } from '../src/rsa-store.js';

test('the RSA key is generated once, kept in its file (0600) and reused', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'tgmt-rsa-')), 'sub', 'key.pem');
  const a = loadOrCreateRsaKeyPair(path);
  t.regex(readFileSync(path, 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----/);
  t.is(statSync(path).mode & 0o777, 0o600);
  const b = loadOrCreateRsaKeyPair(path);
  t.is(b.publicKey.fingerprint, a.publicKey.fingerprint);
  t.regex(a.publicKey.pem, /^-----BEGIN RSA PUBLIC KEY-----\n/);
});

test('a file that holds no usable key is an error, not silently replaced', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'tgmt-rsa-')), 'key.pem');
  writeFileSync(path, 'not a key');
  t.throws(() => loadOrCreateRsaKeyPair(path), { message: /does not hold a 2048-bit RSA private key/ });
  t.is(readFileSync(path, 'utf8'), 'not a key');
});
