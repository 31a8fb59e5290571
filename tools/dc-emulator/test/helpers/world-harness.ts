// The world's methods driven through the emulator's dispatcher in memory.
// Every answer and every pushed update goes through the TL codec both ways,
// so a constructor the wire would refuse fails the test here.
import { randomBytes } from 'node:crypto';
import { deserializeObject, deserializeResult, serializeObject, serializeResult, type tl, type TlResult } from '@telegram-mt/tl';
import { computeSrpCheck } from '@telegram-mt/client';
import { dispatch } from '../../src/rpc/dispatch.js';
import { MethodRegistry } from '../../src/rpc/registry.js';
import { RpcError } from '../../src/rpc/rpc-error.js';
import { registerWorldMethods } from '../../src/rpc/world-methods.js';
import { World, type WorldOptions } from '../../src/world/world.js';

export const ITERATIONS = 1000;
const DCS = [1, 2, 3].map((id) => ({ id, host: '127.0.0.1', port: 1000 + id }));

/** One client's auth key and session on one DC. */
export interface Device {
  dcId: number;
  authKeyId: bigint;
  sessionId: bigint;
}

export interface Pushed {
  userId: bigint;
  updates: tl.Updates;
  origin: Device | undefined;
}

export class Harness {
  readonly world: World;
  readonly registry = new MethodRegistry();
  readonly pushes: Pushed[] = [];
  readonly keyPushes: { dcId: number; authKeyId: bigint; updates: tl.Updates }[] = [];
  clock = 1_700_000_000_000;
  private msgId = 1n;

  constructor(options: WorldOptions = {}) {
    this.world = new World({ passwordIterations: ITERATIONS, now: () => this.clock, ...options });
    registerWorldMethods(this.registry, this.world);
    this.world.onUpdate((userId, updates, origin) => {
      this.pushes.push({ userId, updates: roundTrip(updates), origin: origin as Device | undefined });
    });
    this.world.onAuthKeyUpdate((dcId, authKeyId, updates) => this.keyPushes.push({ dcId, authKeyId, updates: roundTrip(updates) }));
  }

  device(dcId = 2): Device {
    return { dcId, authKeyId: randomBytes(8).readBigInt64LE(), sessionId: randomBytes(8).readBigInt64LE() };
  }

  /** Calls a method as `device`; resolves with the decoded answer or rejects with the RpcError. */
  async call<M extends tl.TlMethod>(device: Device, request: M): Promise<TlResult<M>> {
    const outcome = await dispatch(request, {
      registry: this.registry,
      connection: { layer: undefined, client: undefined },
      base: { dcId: device.dcId, dcs: DCS, authKeyId: device.authKeyId, sessionId: device.sessionId, msgId: this.msgId++, now: () => this.clock },
      waitFor: async () => true,
    });
    if ('error' in outcome) {
      if (outcome.internal) throw outcome.internal;
      throw outcome.error;
    }
    const bytes = serializeResult(outcome.method as never, outcome.result as never);
    return deserializeResult(outcome.method as never, bytes) as TlResult<M>;
  }

  /** The RpcError text a call fails with. */
  async error(device: Device, request: tl.TlMethod): Promise<string> {
    try {
      await this.call(device, request);
    } catch (err) {
      if (err instanceof RpcError) return err.text;
      throw err;
    }
    throw new Error(`${request._} did not fail`);
  }

  /** Signs a device in by phone code (signing up when the number is new). */
  async login(device: Device, phone: string, name = 'Test', password?: string): Promise<tl.user> {
    const sent = (await this.call(device, { _: 'auth.sendCode', phoneNumber: phone, apiId: 1, apiHash: 'x', settings: { _: 'codeSettings' } })) as tl.auth.sentCode;
    const code = this.world.inbox(phone).at(-1)!;
    try {
      let auth = await this.call(device, { _: 'auth.signIn', phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: code });
      if (auth._ === 'auth.authorizationSignUpRequired') {
        auth = await this.call(device, { _: 'auth.signUp', phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, firstName: name, lastName: '' });
      }
      return (auth as tl.auth.authorization).user as tl.user;
    } catch (err) {
      if (!(err instanceof RpcError) || err.text !== 'SESSION_PASSWORD_NEEDED' || password === undefined) throw err;
      return this.checkPassword(device, password);
    }
  }

  async checkPassword(device: Device, password: string): Promise<tl.user> {
    const p = await this.call(device, { _: 'account.getPassword' });
    const check = computeSrpCheck(password, p.currentAlgo as never, p.srpB!, p.srpId!, undefined, ITERATIONS);
    const auth = (await this.call(device, { _: 'auth.checkPassword', password: check })) as tl.auth.authorization;
    return auth.user as tl.user;
  }

  pushesFor(userId: bigint): Pushed[] {
    return this.pushes.filter((p) => p.userId === userId);
  }
}

function roundTrip(updates: tl.Updates): tl.Updates {
  return deserializeObject(serializeObject(updates)) as tl.Updates;
}

export const inputPeerOf = (u: tl.user): tl.inputPeerUser => ({ _: 'inputPeerUser', userId: u.id, accessHash: u.accessHash! });
export const inputUserOf = (u: tl.user): tl.inputUser => ({ _: 'inputUser', userId: u.id, accessHash: u.accessHash! });
