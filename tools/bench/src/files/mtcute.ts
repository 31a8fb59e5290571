// mtcute (`@mtcute/node` 0.30.3, layer 227) moving files through its own
// TelegramClient: uploadFile, messages.uploadMedia, downloadAsBuffer. Its
// parallelism comes from connection pools (connections per kind and DC) times
// requests per connection: uploads take `requestsPerConnection`, downloads
// always run 3 per connection.
import { MemoryStorage, TcpTransport, TelegramClient } from '@mtcute/node';
import { NodeCryptoProvider, addPublicKey } from '@mtcute/node/utils.js';
import { within, type TransferPeer, type TransferSession, type Uploaded } from './peer.js';

const crypto = new NodeCryptoProvider();
const trusted = new Set<string>();
/** mtcute 0.30.3 runs a fixed 3 getFile calls per download connection. */
const DOWNLOAD_REQUESTS_PER_CONNECTION = 3;

export const mtcuteFiles: TransferPeer = {
  name: 'mtcute',
  async open({ emulator, phone, parallel }): Promise<TransferSession> {
    await crypto.initialize?.();
    for (const pem of emulator.rsaPublicKeys) {
      if (trusted.has(pem)) continue;
      addPublicKey(crypto, pem);
      trusted.add(pem);
    }
    const home = emulator.dcs.find((d) => d.id === 2)!;
    const dc = { id: home.id, ipAddress: home.host, port: home.port };
    // Upload: up to 4 connections (its default on DC 2), the rest as requests per connection.
    const uploadPool = Math.min(parallel, 4);
    const uploadPerConnection = Math.ceil(parallel / uploadPool);
    const downloadPool = Math.max(1, Math.round(parallel / DOWNLOAD_REQUESTS_PER_CONNECTION));
    const client = new TelegramClient({
      apiId: 1,
      apiHash: 'bench-files',
      storage: new MemoryStorage(),
      crypto,
      transport: new TcpTransport(),
      defaultDcs: { main: dc, media: dc },
      updates: false,
      logLevel: Number(process.env.MTCUTE_LOG ?? 0),
      network: {
        connectionCount: (kind) => (kind === 'upload' ? uploadPool : kind === 'download' || kind === 'downloadSmall' ? downloadPool : 0),
      },
    });
    const before = emulator.codesSent(phone);
    await within(client.start({ phone, code: () => emulator.code(phone, before), codeSentCallback: () => {} }), 30_000, 'mtcute login');
    return {
      notes: [
        `upload: ${uploadPool} connection(s) × ${uploadPerConnection} requests = ${uploadPool * uploadPerConnection} in flight`,
        `download: ${downloadPool} connection(s) × ${DOWNLOAD_REQUESTS_PER_CONNECTION} = ${downloadPool * DOWNLOAD_REQUESTS_PER_CONNECTION} in flight (fixed per connection)`,
      ],
      async upload(data): Promise<Uploaded> {
        const up = await client.uploadFile({ file: data, fileSize: data.length, fileName: 'bench.bin', partSize: 512, requestsPerConnection: uploadPerConnection });
        const media = await client.call({
          _: 'messages.uploadMedia',
          peer: { _: 'inputPeerSelf' },
          media: { _: 'inputMediaUploadedDocument', file: up.inputFile, mimeType: 'application/octet-stream', attributes: [] },
        });
        if (media._ !== 'messageMediaDocument' || media.document?._ !== 'document') throw new Error(`uploadMedia gave ${media._}`);
        return { size: data.length, handle: media.document };
      },
      async download(file): Promise<Uint8Array> {
        // mtcute's own document (its int64s are its Long type), passed back as it gave it.
        const doc = file.handle as { id: never; accessHash: never; fileReference: Uint8Array; dcId: number };
        return client.downloadAsBuffer(
          { _: 'inputDocumentFileLocation', id: doc.id, accessHash: doc.accessHash, fileReference: doc.fileReference, thumbSize: '' },
          { fileSize: file.size, partSize: 512, dcId: doc.dcId },
        );
      },
      close: async () => {
        await within(client.destroy(), 10_000, 'mtcute close').catch(() => {});
      },
    };
  },
};
