// How users, messages and errors read: one line for people, one object for --json.
import { RpcError, TelegramClientError } from '@telegram-mt/client';
import type { tl } from '@telegram-mt/tl';
import type { Message } from './client-api.js';
import { CliError, EXIT, UsageError, type ExitCode } from './exit-codes.js';
import type { Paint } from './terminal/out.js';

export function userName(u: Pick<tl.user, 'firstName' | 'lastName' | 'id'>): string {
  return [u.firstName, u.lastName].filter(Boolean).join(' ') || `user ${u.id}`;
}

export function userLine(u: tl.user, p: Paint): string {
  const parts = [u.username ? `@${u.username}` : undefined, `id ${u.id}`, u.phone ? `+${u.phone}` : undefined, u.bot ? 'bot' : undefined];
  return `${p.bold(userName(u))} ${p.dim(`(${parts.filter(Boolean).join(', ')})`)}`;
}

export function userJson(u: tl.user): Record<string, unknown> {
  return {
    id: u.id,
    firstName: u.firstName ?? '',
    lastName: u.lastName ?? '',
    username: u.username ?? null,
    phone: u.phone ?? null,
    bot: !!u.bot,
    contact: !!u.contact,
    mutualContact: !!u.mutualContact,
  };
}

/** Names for marked peer ids, learned from users the command has seen. */
export class Names {
  private readonly names = new Map<bigint, string>();
  learn(users: Iterable<tl.User>): void {
    for (const u of users) if (u._ === 'user') this.names.set(u.id, u.username ? `${userName(u)} (@${u.username})` : userName(u));
  }
  set(id: bigint, name: string): void {
    this.names.set(id, name);
  }
  of(id: bigint | undefined): string {
    if (id === undefined) return 'someone';
    return this.names.get(id) ?? String(id);
  }
}

function mediaLabel(media: tl.MessageMedia | undefined): string | undefined {
  if (media === undefined || media._ === 'messageMediaEmpty') return undefined;
  if (media._ === 'messageMediaDocument' && media.document?._ === 'document') {
    const name = media.document.attributes.find((a): a is tl.documentAttributeFilename => a._ === 'documentAttributeFilename');
    return `[file ${name?.fileName ?? 'unnamed'}, ${media.document.size} bytes]`;
  }
  if (media._ === 'messageMediaPhoto') return '[photo]';
  return `[${media._.replace(/^messageMedia/, '').toLowerCase()}]`;
}

const time = (d: Date) => d.toTimeString().slice(0, 8);

export function messageLine(m: Message, names: Names, p: Paint): string {
  const from = m.out ? 'you' : names.of(m.senderId);
  const where = m.chatId === m.senderId || (m.out && m.chatId > 0n) ? '' : ` ${p.dim('in')} ${names.of(m.chatId)}`;
  const to = m.out && m.chatId > 0n ? ` → ${names.of(m.chatId)}` : '';
  const body = [mediaLabel(m.media), m.text].filter(Boolean).join(' ');
  return `${p.dim(`#${m.id} ${time(m.date)}`)} ${p.cyan(from)}${to}${where}: ${body}`;
}

export function messageJson(m: Message): Record<string, unknown> {
  return {
    id: m.id,
    chatId: m.chatId,
    senderId: m.senderId ?? null,
    out: m.out,
    date: m.date.toISOString(),
    text: m.text,
    entities: m.entities,
    replyToMsgId: m.replyToMsgId ?? null,
    media: m.media?._ ?? null,
  };
}

/** What a failure says and which exit code it gives. */
export function describeError(e: unknown): { message: string; exitCode: ExitCode; json: Record<string, unknown> } {
  if (e instanceof UsageError) return { message: e.message, exitCode: EXIT.usage, json: { error: 'usage', message: e.message } };
  if (e instanceof CliError) return { message: e.message, exitCode: e.exitCode, json: { error: 'cli', message: e.message } };
  if (e instanceof RpcError) {
    const auth = e.code === 401 || e.text === 'USER_DEACTIVATED';
    const where = e.method ? ` (${e.method})` : '';
    return {
      message: `Telegram said ${e.code} ${e.text}${where}${auth ? ': log in again with `tgmt login`' : ''}`,
      exitCode: auth ? EXIT.auth : EXIT.rpc,
      json: { error: 'rpc', code: e.code, text: e.text, method: e.method ?? null },
    };
  }
  if (e instanceof TelegramClientError) {
    const exitCode = e.code === 'NOT_AUTHORIZED' ? EXIT.auth : e.code === 'BAD_PEER' ? EXIT.usage : EXIT.error;
    const message = e.code === 'NOT_AUTHORIZED' ? `not logged in: run \`tgmt login\` first (${e.message})` : e.message;
    return { message, exitCode, json: { error: 'client', code: e.code, message } };
  }
  const err = e as { name?: string; message?: string; code?: unknown };
  const name = err?.name ?? 'Error';
  const network = ['ConnectionClosedError', 'TransportError', 'RequestTimeoutError', 'HandshakeError'].includes(name) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(String(err.code));
  const message = `${name}: ${err?.message ?? String(e)}`;
  return { message, exitCode: network ? EXIT.network : EXIT.error, json: { error: network ? 'network' : 'error', name, message: err?.message ?? String(e) } };
}
