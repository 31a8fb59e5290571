# Runs Telethon's own authenticator (telethon.network.authenticator) over
# stdin/stdout, framed as 4-byte little-endian lengths, against whatever
# server the parent process runs. Prints the auth key and time offset as JSON.
import asyncio, json, logging, struct, sys
from telethon.crypto import rsa
from telethon.network import authenticator
from telethon.network.mtprotoplainsender import MTProtoPlainSender


class Pipe:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    async def send(self, data):
        self.writer.write(struct.pack('<I', len(data)) + data)
        await self.writer.drain()

    async def recv(self):
        n = struct.unpack('<I', await self.reader.readexactly(4))[0]
        return await self.reader.readexactly(n)


async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, sys.stdout)
    writer = asyncio.StreamWriter(transport, protocol, reader, loop)
    pem = (await reader.readline()).decode()
    rsa.add_key(json.loads(pem), old=False)
    log = logging.getLogger('telethon')
    sender = MTProtoPlainSender(Pipe(reader, writer), loggers={'telethon.network.mtprotostate': log})
    key, offset = await authenticator.do_authentication(sender)
    sys.stderr.write(json.dumps({'authKey': key.key.hex(), 'timeOffset': offset}) + '\n')


asyncio.run(main())
