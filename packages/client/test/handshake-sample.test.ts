// The worked example of core.telegram.org/mtproto/samples-auth_key, replayed
// through ClientHandshake with the page's random values. Bytes the page shows
// are compared exactly; see the notes below for the two draws we cannot pin.
import test from 'ava';
import { aesIgeDecrypt } from '../src/mtproto/handshake/primitives.js';
import { ClientHandshake } from '../src/mtproto/handshake/client.js';
import { newNonceHash, tmpAesKeyIv, sha1 } from '../src/mtproto/handshake/kdf.js';
import { encodeUnencrypted, decodeUnencrypted } from '../src/mtproto/unencrypted.js';
import { parseRsaPublicKey } from '../src/mtproto/rsa.js';
import { PRODUCTION_RSA_KEYS } from '../src/mtproto/production.js';
import { KNOWN_DH_PRIME } from '../src/mtproto/dh.js';
import { hex, scripted, toHex } from './handshake-helpers.js';

// ---- Values from the sample page -------------------------------------------

const NONCE = hex('79F0AFB50252E5FC96924BFCECDA4F05');
const SERVER_NONCE = hex('801775A3EFBFD2701AA28AD727BE4646');
const NEW_NONCE = hex('264F835B0B7BDFF9C6ED6CF819FD6DF5DCD17E90D67ADD2C2C1E3775C7A6A0AC');

// 1) req_pq_multi as sent (msg_id 0x6777E5EB00059760)
const REQ_PQ_MULTI = hex(`
  00 00 00 00 00 00 00 00 60 97 05 00 EB E5 77 67
  14 00 00 00 F1 8E 7E BE 79 F0 AF B5 02 52 E5 FC
  96 92 4B FC EC DA 4F 05`);

// 2) resPQ as received: pq = 0x130B7475669FEB8B, three fingerprints (the first is the production key's)
const RES_PQ = hex(`
  00 00 00 00 00 00 00 00 01 28 FB D2 EB E5 77 67
  50 00 00 00 63 24 16 05 79 F0 AF B5 02 52 E5 FC
  96 92 4B FC EC DA 4F 05 80 17 75 A3 EF BF D2 70
  1A A2 8A D7 27 BE 46 46 08 13 0B 74 75 66 9F EB
  8B 00 00 00 15 C4 B5 1C 03 00 00 00 85 FD 64 DE
  85 1D 9D D0 A5 B7 F7 09 35 5F C3 0B 21 6B E8 6C
  02 2B B4 C3`);

// 6) server_DH_params_ok.encrypted_answer (592 bytes)
const ENCRYPTED_ANSWER = hex(
  '9A46DCE9D54DE42C5E4F0D19D776C8C1F318EB1AF8836500B5DA1B1A80D58038' +
    'A554FEAF627E6DC4E4924943602D8E19488A6E38A0B81346257E4DB5BE6E9E00' +
    'FE991FD6C56D618D3D0A2493202677AC7CF245846C1494F60D08E61B7FEA8BB7' +
    '2DD8BA53F6CBF78F2B387757FE2E7F345A368ABBEC694EFDE066DC3D2375CF01' +
    '0D1E1BF4351724B269E68B541409E07649FEEE1DF6DC5B3C18166879CC678767' +
    '82D43EC9B79AF8ACF67868F4AB7DE4082603B670EC622B5DFBBB9E908FE02445' +
    '93A4D22474316020CE0E76A5C6AD021D3989451E0B3E8EE48C355992DB90300B' +
    '376B296E18BB470300C7DF14BFAE05A452583EAD93167941208BBB5AC8099F04' +
    '94AA27D6C1A5B678AD12B19FB7D423BB4A29C0EB03169EC538211D82FEB50F20' +
    '9652D00D3399986B3B0CA09CEB5E2FCCB49017FEE5F54930D9DE371172B3FF10' +
    '80D733E5DD620B42DBB76A3E9C25B1B89AB8AA35C099322CA390E269D8818EA8' +
    '722008DE537705B4071DA7DEF502FCD5A30D2026EA8A87A0F4915803A8271B66' +
    '5690E96AABDFC0B479538AE61BA701EDFF14F7212370958ED41EC8E41E427C40' +
    '7FBB0360565C1A6BDF285BC5120B11631B75803DFBF8AAEBDC47418A1F061747' +
    '005ABA9314EE5E261C3E504EAE0ADAAC832B414BF6F7002982CE5B5AE2513761' +
    'EE29FA1CBA090B9A39AACE2948A80E144DB2C622589D79FB42E3DAE491104E8A' +
    '653DED7629CDE08B6C41E90E55B0EBCD4F1FC50FADDF4A7A9F6D711F0959DFEF' +
    '04A744A6ADFD890B2AB405B9AD5F8E3F38928108F4CD0BA501A492FC463BC7BE' +
    '8C506B5F7D24CC819A95929166B6E814',
);
const TMP_AES_KEY = 'E68CA5ABA101FFCA0ADDA66303A57AFFAA2712FB16A7B8DAFC72C25E8A73A368';
const TMP_AES_IV = '0A355D4431B9DDD91A51EFF3F7D340D64F0390C53F91DC53C331D43C264F835B';
const G_A_PREFIX = '236F6D779877A357';

// 7) the client's b and the g_b it yields
const B = hex(
  'F2987DDA0ABCE0B7CE23A7B850BE126641CBAABC1F4C250C839E1844E2E2CBE5' +
    '7BC0A30B45F6C21D8635F5E927DB0D7498A2F03C6A42D3FB2F3787D5B4D63C2F' +
    '17A6EB197C0412237E528B68D3D70ADCDEEBD7CD6BACEC59D4FB8F17125ED00B' +
    '95B34A2D5D8A2133937B5DFEF6DB09F0A3A1BC207A87D9FE4761C59880CA5514' +
    '32E4AFFCF3982B11EABC526977215F4AC2CE20FA7C808A971DA8C8A08FF26DEB' +
    'B326EE580B551BEAF0C4B677FCE00E5C6AAEDA3A5A42F38C9C6E226EEDED0502' +
    'A6BEFC991CC1E0B504E187206D172E72E05D958009FB8C27616EBDD28247262A' +
    '33AF25E911C9DC22D9A88C6E31A623E6C1E1011CDBD184F6DFFC4F77F5370F16',
);
const G_B =
  '5EEDFBF6A2199CD1B06182C5C4E0DC26B69ECDE1AD6430D192CD8A69E7434B66' +
  'A42900AF29B3F41C619AD383FB3721705CF52C34C0507433F743592EE5D4FC50' +
  'F64E0F8686870E36179AF8C8F4587BD572E98AF4A8247DE2F524BCD48642B38F' +
  '36104046D7502CDC14BF39A88422B4B1111D886A326C473D1145E69E37C676E1' +
  'E8FDA07E470482F853886700AE1E7FFDE69FF6D40547C515110B74C6680C844B' +
  '61504FE0A2D3E08BB7BAE70016C97D7E6B7FA4CEBFE6B5BE30C884849ADE39CC' +
  '50FD9B4FB16F671EFE8533D0BF7FF8BF13957F1E0D55E713199CEACC72419AF6' +
  '0CDB1D561084565E9F090141B9F8732B2E806C1B01B25BAFFC4EE1BD5525CB8A';

// 8) the auth key, and what follows from it
const AUTH_KEY =
  '83CBD31C0303361FF1C29437A77CBA749C84F28A118646038C7EDD29EF718A1F' +
  '6A493047D476A6E678D97A4A5CC7990CEA552D68E109869E5BFC86570049CD8F' +
  '2EB4BA10B6C4123FB8A977774B4C5185B5C96AF7BD7A71DB78E6E6148CED2048' +
  '869A21B8ED7FBA7F6F2E7722BFA28447AB84A245CB0E6D01261191B753191E74' +
  '4DCFDA522D50167832EE4D5EE90AAA6F31821248F0F06BF5692EF604CFC4316C' +
  'EDE078F71E17BCEBBE388589E6707AF5BA26E8DD063BB116C4B4E7BEF3B462C3' +
  '350D0376D42F95D353E46BE4C378D2A60141A2339641F8B712EB3ECFB42B7F26' +
  'F69E9BB15373E0AC4BE266E1681859DDAAB8CD7D877BB847D2A8BD068A784943';
const AUTH_KEY_ID_BYTES = '0438720625F291F6';
const SERVER_SALT_BYTES = 'A658F6F8E4C40D89';

// ---- helpers ----------------------------------------------------------------

function serverPacket(msgId: bigint, body: Uint8Array): Uint8Array {
  return encodeUnencrypted(msgId, body);
}

function tlBytes(data: Uint8Array): Uint8Array {
  const head = data.length < 254 ? [data.length] : [254, data.length & 0xff, (data.length >> 8) & 0xff, data.length >> 16];
  const total = (head.length + data.length + 3) & ~3;
  const out = new Uint8Array(total);
  out.set(head);
  out.set(data, head.length);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function le32(v: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

test('the official auth-key sample replays through ClientHandshake down to the auth key', (t) => {
  // The page's draws in the order the client makes them: nonce, b (drawn
  // first so that g^b can be computed during the first round trips),
  // new_nonce, RSA_PAD's padding and temp_key (not pinned, see below), then
  // the padding of client_DH_inner_data (not pinned either).
  const { random, draws } = scripted([NONCE, B, NEW_NONCE, null, null, null]);
  const msgIds = [0x6777e5eb00059760n, 0x6777e5eb00059764n, 0x6777e5eb00059768n];
  let serverTime = 0;
  const clientNow = () => serverTime * 1000 - 42_000; // local clock 42 s behind the server
  const hs = new ClientHandshake({
    dcId: 2,
    publicKeys: PRODUCTION_RSA_KEYS.map(parseRsaPublicKey),
    random,
    now: () => clientNow(),
    msgId: () => msgIds.shift()!,
  });

  // 1) req_pq_multi, byte for byte
  t.is(toHex(hs.start()), toHex(REQ_PQ_MULTI));

  // The page's answer: find server_time inside it first (the fake clock is set relative to it).
  const tmp = tmpAesKeyIv(NEW_NONCE, SERVER_NONCE);
  t.is(toHex(tmp.key), TMP_AES_KEY);
  t.is(toHex(tmp.iv), TMP_AES_IV);
  const answerPlain = aesIgeDecrypt(ENCRYPTED_ANSWER, tmp.key, tmp.iv);
  const answer = answerPlain.subarray(20, 20 + 4 + 16 + 16 + 4 + 260 + 260 + 4);
  t.is(toHex(answerPlain.subarray(0, 20)), toHex(sha1(answer)));
  t.is(toHex(answer.subarray(44, 300)), toHex(KNOWN_DH_PRIME), 'the sample uses the known prime');
  serverTime = Buffer.from(answer).readInt32LE(answer.length - 4);

  // 2)–5) resPQ → req_DH_params
  const step2 = hs.receive(RES_PQ);
  const req = decodeUnencrypted(step2.send!);
  t.is(req.msgId, 0x6777e5eb00059764n);
  const body = req.body;
  // req_DH_params#d712e4be nonce server_nonce p:"44095E05" q:"47A8C84F" fingerprint 0xd09d1d85de64fd85 encrypted_data:256 bytes
  t.is(
    toHex(body.subarray(0, 4 + 16 + 16 + 8 + 8 + 8)),
    'BEE412D7' + toHex(NONCE) + toHex(SERVER_NONCE) + '0444095E05000000' + '0447A8C84F000000' + '85FD64DE851D9DD0',
  );
  t.is(toHex(body.subarray(60, 64)), 'FE000100');
  t.is(body.length, 64 + 256);
  t.deepEqual(draws, [16, 256, 32, 192 - (4 + 12 + 8 + 8 + 16 + 16 + 32 + 4), 32]);

  // 6) server_DH_params_ok with the page's encrypted_answer
  const step3 = hs.receive(
    serverPacket(
      0x6777e5ebd2fb2c01n,
      concat(le32(0xd0e8075c), NONCE, SERVER_NONCE, tlBytes(ENCRYPTED_ANSWER)),
    ),
  );
  // 7) set_client_DH_params: the encrypted client_DH_inner_data carries the page's g_b
  const set = decodeUnencrypted(step3.send!).body;
  t.is(toHex(set.subarray(0, 36)), '1F5F04F5' + toHex(NONCE) + toHex(SERVER_NONCE));
  t.is(toHex(set.subarray(36, 40)), 'FE500100', 'encrypted_data is 336 bytes, as on the page');
  const inner = aesIgeDecrypt(set.subarray(40, 40 + 336), tmp.key, tmp.iv);
  const clientInner = inner.subarray(20, 20 + 304);
  t.is(toHex(inner.subarray(0, 20)), toHex(sha1(clientInner)));
  t.is(
    toHex(clientInner),
    '54B64366' + toHex(NONCE) + toHex(SERVER_NONCE) + '0000000000000000' + 'FE000100' + G_B,
  );

  // 9) dh_gen_ok, whose new_nonce_hash1 is derived from the page's auth key: the client
  // only accepts it if the key it computed is that key.
  const hash1 = newNonceHash(NEW_NONCE, 1, hex(AUTH_KEY));
  const step4 = hs.receive(serverPacket(0x6777e5ebd2fb3001n, concat(le32(0x3bcbf734), NONCE, SERVER_NONCE, hash1)));
  const done = step4.done!;
  t.truthy(done);
  t.is(step4.send, undefined);
  t.is(toHex(done.authKey), AUTH_KEY);
  t.is(done.authKeyId, Buffer.from(hex(AUTH_KEY_ID_BYTES)).readBigInt64LE(0));
  t.is(done.serverSalt, Buffer.from(hex(SERVER_SALT_BYTES)).readBigInt64LE(0));
  t.is(done.timeOffset, 42);
  t.is(done.expiresAt, undefined);
  t.true(hs.finished);
});

test('the sample answer with one flipped byte is refused with ANSWER_HASH and gives no key', (t) => {
  const { random } = scripted([NONCE, B, NEW_NONCE, null, null, null]);
  const hs = new ClientHandshake({ dcId: 2, publicKeys: PRODUCTION_RSA_KEYS.map(parseRsaPublicKey), random });
  hs.start();
  hs.receive(RES_PQ);
  const bad = ENCRYPTED_ANSWER.slice();
  bad[100]! ^= 1;
  const err = t.throws(() =>
    hs.receive(serverPacket(0x6777e5ebd2fb2c01n, concat(le32(0xd0e8075c), NONCE, SERVER_NONCE, tlBytes(bad)))),
  );
  t.is((err as { code?: string }).code, 'ANSWER_HASH');
  t.true(hs.finished);
  const err2 = t.throws(() => hs.receive(RES_PQ));
  t.is((err2 as { code?: string }).code, 'BAD_STATE');
});
