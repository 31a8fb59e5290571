// The handshake's own arithmetic, measured alone: what a client cannot avoid
// computing for one auth key. pq factorization (crypto-native), RSA_PAD of
// p_q_inner_data_dc (SHA-256 + AES-256-IGE + one RSA exponentiation, e = 65537,
// with the emulator's key, by BigInt square-and-multiply as the client does)
// and the two 2048-bit DH exponentiations g^b and g_a^b (node:crypto, one
// DiffieHellman object per prime, built once, as the client does).
import { createCrypto } from '@telegram-mt/crypto-native';
import { KNOWN_DH_PRIME, parseRsaPublicKey } from '@telegram-mt/client/mtproto';
import { createDiffieHellman, createHash, randomBytes } from 'node:crypto';
import { median } from './measure.js';

const crypto = createCrypto();

function big(b: Uint8Array): bigint {
  return BigInt('0x' + Buffer.from(b).toString('hex'));
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n, b = (b * b) % mod) if (e & 1n) r = (r * b) % mod;
  return r;
}

function isPrime(n: number): boolean {
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/** A pq like the servers send: two random primes in [2^30, 2^31), multiplied. */
function randomPq(): bigint {
  const prime = () => {
    for (;;) {
      const n = (randomBytes(4).readUInt32BE(0) >>> 1) | 0x40000000;
      if (isPrime(n)) return BigInt(n);
    }
  };
  return prime() * prime();
}

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** RSA_PAD(data, key) as core.telegram.org/mtproto/auth_key describes it, one attempt. */
function rsaPad(data: Uint8Array, n: bigint, e: bigint): bigint {
  const dataWithPadding = new Uint8Array(192);
  dataWithPadding.set(data);
  dataWithPadding.set(randomBytes(192 - data.length), data.length);
  const tempKey = randomBytes(32);
  const dataWithHash = new Uint8Array(224);
  dataWithHash.set(dataWithPadding.slice().reverse());
  dataWithHash.set(sha256(tempKey, dataWithPadding), 192);
  const aesEncrypted = crypto.aesIgeEncrypt(dataWithHash, tempKey, new Uint8Array(32));
  const mask = sha256(aesEncrypted);
  const block = new Uint8Array(256);
  for (let i = 0; i < 32; i++) block[i] = tempKey[i]! ^ mask[i]!;
  block.set(aesEncrypted, 32);
  const m = big(block) % n; // one attempt's exponentiation is the cost measured
  return modPow(m, e, n);
}

export interface ArithmeticResult {
  /** Median milliseconds of the whole: factorization + RSA_PAD + two modPows. */
  totalMs: number;
  /** Median CPU milliseconds of the same (user + system): immune to being descheduled on a busy machine. */
  cpuMs: number;
  factorizeMs: number;
  rsaPadMs: number;
  modPowsMs: number;
}

export function handshakeArithmetic(rsaPem: string, runs = 20): ArithmeticResult {
  const key = parseRsaPublicKey(rsaPem);
  const dh = createDiffieHellman(Buffer.from(KNOWN_DH_PRIME), 3);
  const other = createDiffieHellman(Buffer.from(KNOWN_DH_PRIME), 3);
  const totals: number[] = [];
  const cpus: number[] = [];
  const f: number[] = [];
  const r: number[] = [];
  const m: number[] = [];
  const three = Buffer.alloc(256);
  three[255] = 3;
  for (let i = 0; i < runs + 2; i++) {
    const pq = randomPq();
    const inner = randomBytes(100); // p_q_inner_data_dc: constructor, pq, p, q, two nonces, new_nonce, dc
    other.setPrivateKey(randomBytes(256));
    const gA = other.generateKeys();
    const b = randomBytes(256);

    const c0 = process.cpuUsage();
    const t0 = performance.now();
    crypto.factorizePQ(pq);
    const t1 = performance.now();
    rsaPad(inner, key.n, key.e);
    const t2 = performance.now();
    dh.setPrivateKey(b);
    dh.computeSecret(three); // g_b = g^b
    dh.computeSecret(gA); // auth_key = g_a^b
    const t3 = performance.now();
    const c = process.cpuUsage(c0);
    if (i >= 2) {
      cpus.push((c.user + c.system) / 1000);
      // the first two warm up the JIT
      totals.push(t3 - t0);
      f.push(t1 - t0);
      r.push(t2 - t1);
      m.push(t3 - t2);
    }
  }
  return { totalMs: median(totals), cpuMs: median(cpus), factorizeMs: median(f), rsaPadMs: median(r), modPowsMs: median(m) };
}
