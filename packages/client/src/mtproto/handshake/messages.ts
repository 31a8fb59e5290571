// The handshake's constructors (core.telegram.org/mtproto/auth_key), as plain
// objects named like the generated layer's (`_` tag, camelCase fields), with
// their wire form. Ids are the schema's.
import { HandshakeError } from './errors.js';
import { WireReader, WireWriter, hex32 } from './wire.js';

export const ID = {
  req_pq: 0x60469778,
  req_pq_multi: 0xbe7e8ef1,
  resPQ: 0x05162463,
  p_q_inner_data: 0x83c95aec,
  p_q_inner_data_dc: 0xa9f55f95,
  p_q_inner_data_temp_dc: 0x56fddf88,
  req_DH_params: 0xd712e4be,
  server_DH_params_fail: 0x79cb045d,
  server_DH_params_ok: 0xd0e8075c,
  server_DH_inner_data: 0xb5890dba,
  client_DH_inner_data: 0x6643b654,
  set_client_DH_params: 0xf5045f1f,
  dh_gen_ok: 0x3bcbf734,
  dh_gen_retry: 0x46dc1fb9,
  dh_gen_fail: 0xa69dae02,
} as const;

export interface ResPQ {
  _: 'resPQ';
  nonce: Uint8Array;
  serverNonce: Uint8Array;
  pq: Uint8Array;
  serverPublicKeyFingerprints: bigint[];
}

export interface PQInnerData {
  _: 'p_q_inner_data' | 'p_q_inner_data_dc' | 'p_q_inner_data_temp_dc';
  pq: Uint8Array;
  p: Uint8Array;
  q: Uint8Array;
  nonce: Uint8Array;
  serverNonce: Uint8Array;
  newNonce: Uint8Array;
  dc?: number; // absent only in the legacy p_q_inner_data
  expiresIn?: number; // p_q_inner_data_temp_dc only
}

export interface ReqDHParams {
  _: 'req_DH_params';
  nonce: Uint8Array;
  serverNonce: Uint8Array;
  p: Uint8Array;
  q: Uint8Array;
  publicKeyFingerprint: bigint;
  encryptedData: Uint8Array;
}

export type ServerDHParams =
  | { _: 'server_DH_params_ok'; nonce: Uint8Array; serverNonce: Uint8Array; encryptedAnswer: Uint8Array }
  | { _: 'server_DH_params_fail'; nonce: Uint8Array; serverNonce: Uint8Array; newNonceHash: Uint8Array };

export interface ServerDHInnerData {
  _: 'server_DH_inner_data';
  nonce: Uint8Array;
  serverNonce: Uint8Array;
  g: number;
  dhPrime: Uint8Array;
  gA: Uint8Array;
  serverTime: number;
}

export interface ClientDHInnerData {
  _: 'client_DH_inner_data';
  nonce: Uint8Array;
  serverNonce: Uint8Array;
  retryId: bigint;
  gB: Uint8Array;
}

export interface SetClientDHParams {
  _: 'set_client_DH_params';
  nonce: Uint8Array;
  serverNonce: Uint8Array;
  encryptedData: Uint8Array;
}

export interface SetClientDHParamsAnswer {
  _: 'dh_gen_ok' | 'dh_gen_retry' | 'dh_gen_fail';
  nonce: Uint8Array;
  serverNonce: Uint8Array;
  /** new_nonce_hash1, 2 or 3 respectively. */
  newNonceHash: Uint8Array;
}

function expectId(r: WireReader, want: number, name: string): void {
  const id = r.uint();
  if (id !== want) throw new HandshakeError('BAD_MESSAGE', `expected ${name}, got #${hex32(id)}`);
}

// ---- client → server -------------------------------------------------------

export function writeReqPqMulti(nonce: Uint8Array): Uint8Array {
  return new WireWriter().uint(ID.req_pq_multi).raw(nonce).result();
}

/** Reads req_pq_multi or the legacy req_pq (same layout); returns the nonce. */
export function readReqPq(body: Uint8Array): Uint8Array {
  const r = new WireReader(body);
  const id = r.uint();
  if (id !== ID.req_pq_multi && id !== ID.req_pq) {
    throw new HandshakeError('BAD_MESSAGE', `expected req_pq_multi, got #${hex32(id)}`);
  }
  const nonce = r.int128();
  r.end();
  return nonce;
}

export function writePQInnerData(d: PQInnerData): Uint8Array {
  const w = new WireWriter().uint(ID[d._]).bytes(d.pq).bytes(d.p).bytes(d.q).raw(d.nonce).raw(d.serverNonce).raw(d.newNonce);
  if (d._ !== 'p_q_inner_data') w.int(d.dc ?? 0);
  if (d._ === 'p_q_inner_data_temp_dc') w.int(d.expiresIn ?? 0);
  return w.result();
}

/** Reads one p_q_inner_data* from the front of `data` (the rest is RSA padding). */
export function readPQInnerData(data: Uint8Array): { value: PQInnerData; length: number } {
  const r = new WireReader(data);
  const id = r.uint();
  const name =
    id === ID.p_q_inner_data_dc ? 'p_q_inner_data_dc'
    : id === ID.p_q_inner_data_temp_dc ? 'p_q_inner_data_temp_dc'
    : id === ID.p_q_inner_data ? 'p_q_inner_data'
    : undefined;
  if (name === undefined) throw new HandshakeError('BAD_MESSAGE', `expected p_q_inner_data_dc, got #${hex32(id)}`);
  const value: PQInnerData = {
    _: name,
    pq: r.bytes(),
    p: r.bytes(),
    q: r.bytes(),
    nonce: r.int128(),
    serverNonce: r.int128(),
    newNonce: r.int256(),
  };
  if (name !== 'p_q_inner_data') value.dc = r.int();
  if (name === 'p_q_inner_data_temp_dc') value.expiresIn = r.int();
  return { value, length: r.pos };
}

export function writeReqDHParams(m: Omit<ReqDHParams, '_'>): Uint8Array {
  return new WireWriter()
    .uint(ID.req_DH_params)
    .raw(m.nonce)
    .raw(m.serverNonce)
    .bytes(m.p)
    .bytes(m.q)
    .long(m.publicKeyFingerprint)
    .bytes(m.encryptedData)
    .result();
}

export function readReqDHParams(body: Uint8Array): ReqDHParams {
  const r = new WireReader(body);
  expectId(r, ID.req_DH_params, 'req_DH_params');
  const m: ReqDHParams = {
    _: 'req_DH_params',
    nonce: r.int128(),
    serverNonce: r.int128(),
    p: r.bytes(),
    q: r.bytes(),
    publicKeyFingerprint: r.long(),
    encryptedData: r.bytes(),
  };
  r.end();
  return m;
}

export function writeClientDHInnerData(m: Omit<ClientDHInnerData, '_'>): Uint8Array {
  return new WireWriter().uint(ID.client_DH_inner_data).raw(m.nonce).raw(m.serverNonce).long(m.retryId).bytes(m.gB).result();
}

export function readClientDHInnerData(data: Uint8Array): { value: ClientDHInnerData; length: number } {
  const r = new WireReader(data);
  expectId(r, ID.client_DH_inner_data, 'client_DH_inner_data');
  const value: ClientDHInnerData = {
    _: 'client_DH_inner_data',
    nonce: r.int128(),
    serverNonce: r.int128(),
    retryId: r.long(),
    gB: r.bytes(),
  };
  return { value, length: r.pos };
}

export function writeSetClientDHParams(m: Omit<SetClientDHParams, '_'>): Uint8Array {
  return new WireWriter().uint(ID.set_client_DH_params).raw(m.nonce).raw(m.serverNonce).bytes(m.encryptedData).result();
}

export function readSetClientDHParams(body: Uint8Array): SetClientDHParams {
  const r = new WireReader(body);
  expectId(r, ID.set_client_DH_params, 'set_client_DH_params');
  const m: SetClientDHParams = {
    _: 'set_client_DH_params',
    nonce: r.int128(),
    serverNonce: r.int128(),
    encryptedData: r.bytes(),
  };
  r.end();
  return m;
}

// ---- server → client -------------------------------------------------------

export function writeResPQ(m: Omit<ResPQ, '_'>): Uint8Array {
  return new WireWriter()
    .uint(ID.resPQ)
    .raw(m.nonce)
    .raw(m.serverNonce)
    .bytes(m.pq)
    .vectorOfLong(m.serverPublicKeyFingerprints)
    .result();
}

export function readResPQ(body: Uint8Array): ResPQ {
  const r = new WireReader(body);
  expectId(r, ID.resPQ, 'resPQ');
  const m: ResPQ = {
    _: 'resPQ',
    nonce: r.int128(),
    serverNonce: r.int128(),
    pq: r.bytes(),
    serverPublicKeyFingerprints: r.vectorOfLong(),
  };
  r.end();
  return m;
}

export function writeServerDHParams(m: ServerDHParams): Uint8Array {
  const w = new WireWriter().uint(ID[m._]).raw(m.nonce).raw(m.serverNonce);
  if (m._ === 'server_DH_params_ok') w.bytes(m.encryptedAnswer);
  else w.raw(m.newNonceHash);
  return w.result();
}

export function readServerDHParams(body: Uint8Array): ServerDHParams {
  const r = new WireReader(body);
  const id = r.uint();
  let m: ServerDHParams;
  if (id === ID.server_DH_params_ok) {
    m = { _: 'server_DH_params_ok', nonce: r.int128(), serverNonce: r.int128(), encryptedAnswer: r.bytes() };
  } else if (id === ID.server_DH_params_fail) {
    m = { _: 'server_DH_params_fail', nonce: r.int128(), serverNonce: r.int128(), newNonceHash: r.int128() };
  } else {
    throw new HandshakeError('BAD_MESSAGE', `expected Server_DH_Params, got #${hex32(id)}`);
  }
  r.end();
  return m;
}

export function writeServerDHInnerData(m: Omit<ServerDHInnerData, '_'>): Uint8Array {
  return new WireWriter()
    .uint(ID.server_DH_inner_data)
    .raw(m.nonce)
    .raw(m.serverNonce)
    .int(m.g)
    .bytes(m.dhPrime)
    .bytes(m.gA)
    .int(m.serverTime)
    .result();
}

export function readServerDHInnerData(data: Uint8Array): { value: ServerDHInnerData; length: number } {
  const r = new WireReader(data);
  expectId(r, ID.server_DH_inner_data, 'server_DH_inner_data');
  const value: ServerDHInnerData = {
    _: 'server_DH_inner_data',
    nonce: r.int128(),
    serverNonce: r.int128(),
    g: r.int(),
    dhPrime: r.bytes(),
    gA: r.bytes(),
    serverTime: r.int(),
  };
  return { value, length: r.pos };
}

export function writeSetClientDHParamsAnswer(m: SetClientDHParamsAnswer): Uint8Array {
  return new WireWriter().uint(ID[m._]).raw(m.nonce).raw(m.serverNonce).raw(m.newNonceHash).result();
}

export function readSetClientDHParamsAnswer(body: Uint8Array): SetClientDHParamsAnswer {
  const r = new WireReader(body);
  const id = r.uint();
  const name =
    id === ID.dh_gen_ok ? 'dh_gen_ok' : id === ID.dh_gen_retry ? 'dh_gen_retry' : id === ID.dh_gen_fail ? 'dh_gen_fail' : undefined;
  if (name === undefined) throw new HandshakeError('BAD_MESSAGE', `expected Set_client_DH_params_answer, got #${hex32(id)}`);
  const m: SetClientDHParamsAnswer = { _: name, nonce: r.int128(), serverNonce: r.int128(), newNonceHash: r.int128() };
  r.end();
  return m;
}
