// GramJS (`telegram` 2.26.22, layer 198) moving files through its own
// TelegramClient: uploadFile with `workers` parts in flight, then
// messages.uploadMedia, then downloadFile. The emulator's RSA key is added to
// GramJS's key table; its connection class is given each DC's real port.
import { parseRsaPublicKey } from '@telegram-mt/client/mtproto';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions/index.js';
import { Logger } from 'telegram/extensions/index.js';
import { LogLevel } from 'telegram/extensions/Logger.js';
import { _serverKeys } from 'telegram/crypto/RSA.js';
import { readBigIntFromBuffer } from 'telegram/Helpers.js';
import { ConnectionTCPFull } from 'telegram/network/index.js';
import { CustomFile } from 'telegram/client/uploads.js';
import { within, type TransferPeer, type TransferSession, type Uploaded } from './peer.js';

function trustKeys(pems: string[]): void {
  for (const pem of pems) {
    const key = parseRsaPublicKey(pem);
    const n = Buffer.from(key.n.toString(16).padStart(512, '0'), 'hex');
    _serverKeys.set(BigInt.asIntN(64, key.fingerprint).toString(), { n: readBigIntFromBuffer(n, false, false), e: Number(key.e) });
  }
}

/** GramJS dials the port of its own DC table; this class dials the emulator's. */
function emulatorConnection(dcs: readonly { id: number; host: string; port: number }[]): typeof ConnectionTCPFull {
  return class extends ConnectionTCPFull {
    constructor(opts: ConstructorParameters<typeof ConnectionTCPFull>[0]) {
      const dc = dcs.find((d) => d.id === opts.dcId);
      if (dc === undefined) throw new Error(`GramJS asked for DC ${opts.dcId}, which the emulator does not have`);
      super({ ...opts, ip: dc.host, port: dc.port });
    }
  };
}

export const gramjsFiles: TransferPeer = {
  name: 'GramJS',
  async open({ emulator, phone, parallel }): Promise<TransferSession> {
    trustKeys(emulator.rsaPublicKeys);
    const home = emulator.dcs.find((d) => d.id === 2)!;
    const session = new StringSession('');
    session.setDC(home.id, home.host, 443); // the port is the connection class's business
    const client = new TelegramClient(session, 1, 'bench-files', {
      connectionRetries: 1,
      autoReconnect: false,
      useWSS: false,
      connection: emulatorConnection(emulator.dcs),
      baseLogger: new Logger(LogLevel.NONE),
    });
    const before = emulator.codesSent(phone);
    let loginError: unknown;
    await within(
      client.start({
        phoneNumber: phone,
        phoneCode: () => emulator.code(phone, before),
        password: async () => {
          throw new Error('no 2FA');
        },
        onError: async (e) => {
          loginError = e;
          return true;
        },
      }),
      30_000,
      'GramJS login',
    );
    if (loginError) throw loginError;
    return {
      notes: [`uploadFile({ workers: ${parallel} }); downloadFile (2.26's downloadFileV2 fetches one part at a time whatever the workers: downloads are at 1 in flight)`],
      async upload(data): Promise<Uploaded> {
        const buffer = Buffer.from(data.buffer, data.byteOffset, data.length);
        // maxBufferSize above the size: GramJS reads the parts from the buffer, not from a path.
        const file = await client.uploadFile({ file: new CustomFile('bench.bin', data.length, '', buffer), workers: parallel, maxBufferSize: data.length + 1 });
        const media = await client.invoke(
          new Api.messages.UploadMedia({
            peer: new Api.InputPeerSelf(),
            media: new Api.InputMediaUploadedDocument({ file, mimeType: 'application/octet-stream', attributes: [] }),
          }),
        );
        if (!(media instanceof Api.MessageMediaDocument) || !(media.document instanceof Api.Document)) throw new Error(`uploadMedia gave ${media.className}`);
        return { size: data.length, handle: media.document };
      },
      async download(file): Promise<Uint8Array> {
        const doc = file.handle as Api.Document;
        const location = new Api.InputDocumentFileLocation({ id: doc.id, accessHash: doc.accessHash, fileReference: doc.fileReference, thumbSize: '' });
        const out = await client.downloadFile(location, { dcId: doc.dcId, fileSize: file.size as never, partSizeKb: 512 });
        if (!(out instanceof Uint8Array)) throw new Error('GramJS downloadFile gave no bytes');
        return out;
      },
      close: () => within(client.destroy(), 10_000, 'GramJS close').catch(() => {}),
    };
  },
};
