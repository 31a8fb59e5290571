// Telegram's public endpoints and server keys, as published on
// core.telegram.org and my.telegram.org and shipped by the official clients.
// Defaults only: every consumer takes a DC list and keys as options.

export interface DcAddress {
  id: number;
  ipv4: string;
  ipv6: string;
  port: number;
}

/** Production DCs 1–5. */
export const PRODUCTION_DCS: readonly DcAddress[] = [
  { id: 1, ipv4: '149.154.175.53', ipv6: '2001:b28:f23d:f001::a', port: 443 },
  { id: 2, ipv4: '149.154.167.51', ipv6: '2001:67c:4e8:f002::a', port: 443 },
  { id: 3, ipv4: '149.154.175.100', ipv6: '2001:b28:f23d:f003::a', port: 443 },
  { id: 4, ipv4: '149.154.167.91', ipv6: '2001:67c:4e8:f004::a', port: 443 },
  { id: 5, ipv4: '91.108.56.130', ipv6: '2001:b28:f23f:f005::a', port: 443 },
];

/**
 * Test DCs 1–3. In p_q_inner_data_dc a test DC is sent as its id + 10000
 * (see `handshakeDcId`).
 */
export const TEST_DCS: readonly DcAddress[] = [
  { id: 1, ipv4: '149.154.175.10', ipv6: '2001:b28:f23d:f001::e', port: 443 },
  { id: 2, ipv4: '149.154.167.40', ipv6: '2001:67c:4e8:f002::e', port: 443 },
  { id: 3, ipv4: '149.154.175.117', ipv6: '2001:b28:f23d:f003::e', port: 443 },
];

/** The production server key (fingerprint 0xd09d1d85de64fd85). */
export const PRODUCTION_RSA_KEYS: readonly string[] = [
  `-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEA6LszBcC1LGzyr992NzE0ieY+BSaOW622Aa9Bd4ZHLl+TuFQ4lo4g
5nKaMBwK/BIb9xUfg0Q29/2mgIR6Zr9krM7HjuIcCzFvDtr+L0GQjae9H0pRB2OO
62cECs5HKhT5DZ98K33vmWiLowc621dQuwKWSQKjWf50XYFw42h21P2KXUGyp2y/
+aEyZ+uVgLLQbRA1dEjSDZ2iGRy12Mk5gpYc397aYp438fsJoHIgJ2lgMv5h7WY9
t6N/byY9Nw9p21Og3AoXSL2q/2IJ1WRUhebgAdGVMlV1fkuOQoEzR7EdpqtQD9Cs
5+bfo3Nhmcyvk5ftB0WkJ9z6bNZ7yxrP8wIDAQAB
-----END RSA PUBLIC KEY-----
`,
];

/** The test-DC server key (fingerprint 0xb25898df208d2603). */
export const TEST_RSA_KEYS: readonly string[] = [
  `-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAyMEdY1aR+sCR3ZSJrtztKTKqigvO/vBfqACJLZtS7QMgCGXJ6XIR
yy7mx66W0/sOFa7/1mAZtEoIokDP3ShoqF4fVNb6XeqgQfaUHd8wJpDWHcR2OFwv
plUUI1PLTktZ9uW2WE23b+ixNwJjJGwBDJPQEQFBE+vfmH0JP503wr5INS1poWg/
j25sIWeYPHYeOrFp/eXaqhISP6G+q2IeTaWTXpwZj4LzXq5YOpk4bYEQ6mvRq7D1
aHWfYmlEGepfaYR8Q0YqvvhYtMte3ITnuSJs171+GDqpdKcSwHnd6FudwGO4pcCO
j4WcDuXc2CTHgH8gFTNhp/Y8/SpDOhvn9QIDAQAB
-----END RSA PUBLIC KEY-----
`,
];

/**
 * The dc value of p_q_inner_data_dc: the DC id, negated for a media-only DC,
 * plus 10000 for a test DC (added to the magnitude, e.g. −10002).
 */
export function handshakeDcId(dcId: number, opts: { test?: boolean; media?: boolean } = {}): number {
  const base = dcId + (opts.test ? 10000 : 0);
  return opts.media ? -base : base;
}
