// The control endpoint of `tgmt emulator`: what only the emulator's process
// can answer, over loopback HTTP with a bearer token from the state file.
//   GET  /inbox?phone=+316…   → { codes: ["12345", …] }  (login codes "sent" to that phone)
//   POST /users {phone?, firstName, lastName?, username?, dc?, password?, bot?} → { id, phone?, username?, botToken? }
//   POST /faults {dc?, fault} → { faults: n }   (the emulator's fault injection: delay, drop, stall …)
//   DELETE /faults → { faults: 0 }
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator, Fault, World } from '@telegram-mt/dc-emulator';
import { CliError, EXIT } from '../exit-codes.js';

const MAX_BODY = 4096;

export interface ControlServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

export interface NewUser {
  phone?: string;
  firstName: string;
  lastName?: string;
  username?: string;
  dc?: number;
  password?: string;
  bot?: boolean;
}

export interface CreatedUser {
  id: string;
  phone?: string;
  username?: string;
  botToken?: string;
}

export function createUserIn(world: World, u: NewUser): CreatedUser {
  const r = world.createUser(u);
  return { id: r.id.toString(), phone: r.phone, username: r.username, botToken: r.botToken };
}

/** What the endpoint serves: the world, and the faults of the emulator around it. */
export type Controlled = Pick<Emulator, 'world' | 'faults'>;

export async function startControl(emu: Controlled, host = '127.0.0.1'): Promise<ControlServer> {
  const token = randomBytes(16).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const server = createServer((req, res) => {
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) return reply(res, 401, { error: 'bad token' });
    handle(emu, req, res).catch((e: Error) => reply(res, 400, { error: e.message }));
  });
  server.requestTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle({ world, faults }: Controlled, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control');
  if (url.pathname === '/faults' && req.method === 'POST') {
    const body = JSON.parse(await readBody(req)) as { dc?: number; fault?: Fault };
    if (typeof body?.fault?.kind !== 'string') throw new Error('a fault with a kind is required');
    faults.set(body.dc === undefined ? {} : { dc: body.dc }, body.fault); // the injector checks the fields
    return reply(res, 200, { faults: faults.list().length });
  }
  if (url.pathname === '/faults' && req.method === 'DELETE') {
    faults.clear();
    return reply(res, 200, { faults: 0 });
  }
  if (req.method === 'GET' && url.pathname === '/inbox') {
    return reply(res, 200, { codes: world.inbox(url.searchParams.get('phone') ?? '') });
  }
  if (req.method === 'POST' && url.pathname === '/users') {
    const body = JSON.parse(await readBody(req)) as NewUser;
    if (typeof body?.firstName !== 'string') throw new Error('firstName is required');
    return reply(res, 200, createUserIn(world, body));
  }
  reply(res, 404, { error: `no ${req.method} ${url.pathname}` });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`body over ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Talks to a control endpoint; every call bounded by `timeoutMs`. */
export class ControlClient {
  constructor(
    private readonly control: { url: string; token: string },
    private readonly timeoutMs = 5000,
  ) {}

  async inbox(phone: string): Promise<string[]> {
    const r = (await this.call('GET', `/inbox?phone=${encodeURIComponent(phone)}`)) as { codes: string[] };
    return r.codes;
  }

  createUser(u: NewUser): Promise<CreatedUser> {
    return this.call('POST', '/users', u) as Promise<CreatedUser>;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(this.control.url + path, {
        method,
        headers: { authorization: `Bearer ${this.control.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new CliError(`the emulator's control endpoint ${this.control.url} does not answer: ${(e as Error).message}`, EXIT.network);
    }
    const answer = (await res.json().catch(() => ({}))) as { error?: string };
    if (!res.ok) throw new CliError(`the emulator refused ${method} ${path.split('?')[0]}: ${answer.error ?? res.status}`, EXIT.error);
    return answer;
  }
}
