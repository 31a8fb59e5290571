import type { TransportOptions } from '@telegram-mt/transport';

/** Every way a client can reach a DC: each codec, plain and obfuscated, and WebSocket. */
export const EVERY_TRANSPORT: readonly [string, TransportOptions][] = [
  ['abridged', { codec: 'abridged' }],
  ['intermediate', { codec: 'intermediate' }],
  ['padded intermediate', { codec: 'padded' }],
  ['full', { codec: 'full' }],
  ['obfuscated abridged', { codec: 'abridged', obfuscated: true }],
  ['obfuscated intermediate', { codec: 'intermediate', obfuscated: true }],
  ['obfuscated padded intermediate', { codec: 'padded', obfuscated: true }],
  ['WebSocket (obfuscated intermediate)', { codec: 'intermediate', connection: 'websocket' }],
];
