"""Drives Telethon's own MTProto sender against the emulator.

Telethon is an independent implementation of the client side, so what it
accepts proves the emulator's server side without our client. The driver
uses the low-level sender (telethon.network.MTProtoSender) with each of
Telethon's TCP connection classes: a fresh auth key per codec, then a ping,
help.getNearestDc (bare and wrapped in invokeWithLayer(initConnection(...))),
and a call the server must refuse with an rpc_error.

Input: one JSON argument {"host", "port", "dcId", "rsaPublicKeys", "codecs"}.
Output: one JSON object on stdout, {"telethon": version, "results": [...]}.
"""
import asyncio
import json
import logging
import os
import struct
import sys
import time

import telethon
from telethon.crypto import rsa
from telethon.errors import RPCError
from telethon.network import MTProtoSender
from telethon.network.connection import (
    ConnectionTcpAbridged,
    ConnectionTcpFull,
    ConnectionTcpIntermediate,
    ConnectionTcpObfuscated,
)
from telethon.tl.functions import InitConnectionRequest, InvokeWithLayerRequest, PingRequest
from telethon.tl.functions.help import GetNearestDcRequest
from telethon.tl.tlobject import TLRequest

CODECS = {
    "full": ConnectionTcpFull,
    "intermediate": ConnectionTcpIntermediate,
    "abridged": ConnectionTcpAbridged,
    "obfuscated": ConnectionTcpObfuscated,
}

STEP_TIMEOUT = 10


class Loggers(dict):
    """What Telethon's classes expect as `loggers`: a logger per module name."""

    def __missing__(self, key):
        logger = logging.getLogger(key)
        self[key] = logger
        return logger


class UnknownMethod(TLRequest):
    """A method whose constructor id no schema has: the server must refuse it."""

    CONSTRUCTOR_ID = 0x0BADC0DE
    SUBCLASS_OF_ID = 0

    def _bytes(self):
        return struct.pack("<I", self.CONSTRUCTOR_ID)

    def to_dict(self):
        return {"_": "UnknownMethod"}


def nearest_dc_json(answer):
    return {
        "_": type(answer).__name__,
        "country": answer.country,
        "thisDc": answer.this_dc,
        "nearestDc": answer.nearest_dc,
    }


async def run_codec(name, host, port, dc_id):
    result = {"codec": name}
    loggers = Loggers()
    conn = CODECS[name](host, port, dc_id, loggers=loggers)
    # retries: Telethon itself retries a failed handshake, which it needs about
    # once in 256 keys (it trims a leading zero byte of g_ab and then disagrees
    # with any server on the key); auto_reconnect off so a dropped connection
    # shows up as an error here instead of being papered over.
    sender = MTProtoSender(None, loggers=loggers, retries=3, delay=0.1,
                           auto_reconnect=False, connect_timeout=STEP_TIMEOUT)
    try:
        started = time.monotonic()
        await asyncio.wait_for(sender.connect(conn), STEP_TIMEOUT * 2)
        result["handshakeMs"] = round((time.monotonic() - started) * 1000, 1)
        key = sender.auth_key
        result["authKeyLength"] = len(key.key)
        result["authKeyId"] = str(struct.unpack("<q", struct.pack("<Q", key.key_id))[0])

        ping_id = int.from_bytes(os.urandom(8), "little", signed=True)
        pong = await asyncio.wait_for(sender.send(PingRequest(ping_id=ping_id)), STEP_TIMEOUT)
        result["ping"] = {"sent": str(ping_id), "pong": str(pong.ping_id), "_": type(pong).__name__}

        nearest = await asyncio.wait_for(sender.send(GetNearestDcRequest()), STEP_TIMEOUT)
        result["nearestDc"] = nearest_dc_json(nearest)

        wrapped = InvokeWithLayerRequest(144, InitConnectionRequest(
            api_id=1, device_model="telethon-driver", system_version=sys.platform,
            app_version=telethon.__version__, system_lang_code="en", lang_pack="",
            lang_code="en", query=GetNearestDcRequest()))
        nearest = await asyncio.wait_for(sender.send(wrapped), STEP_TIMEOUT)
        result["wrappedNearestDc"] = nearest_dc_json(nearest)

        try:
            answer = await asyncio.wait_for(sender.send(UnknownMethod()), STEP_TIMEOUT)
            result["rpcError"] = {"unexpectedAnswer": repr(answer)}
        except RPCError as e:
            result["rpcError"] = {"code": e.code, "message": e.message}
        result["ok"] = True
    except BaseException as e:  # report every failure as data, never as a crash
        result["ok"] = False
        result["error"] = "%s: %s" % (type(e).__name__, e)
    finally:
        try:
            await asyncio.wait_for(sender.disconnect(), STEP_TIMEOUT)
        except BaseException:
            pass
    return result


async def main():
    args = json.loads(sys.argv[1])
    for pem in args["rsaPublicKeys"]:
        rsa.add_key(pem, old=False)
    results = []
    for name in args.get("codecs", list(CODECS)):
        results.append(await run_codec(name, args["host"], args["port"], args["dcId"]))
    print(json.dumps({"telethon": telethon.__version__, "results": results}))


if __name__ == "__main__":
    logging.basicConfig(level=os.environ.get("TELETHON_LOG", "WARNING"), stream=sys.stderr)
    asyncio.run(main())
