"""
Telethon's transport classes (an independent MTProto implementation) against
our acceptor: for each codec, connect, send packets, read the echoes back.

Input: JSON on stdin {"host", "port", "plainSecret", "ddSecret", "packets": [hex, ...]}.
Output: one JSON line {"results": [{"codec", "ok", "error"?, "echoes": [hex, ...]}]}.
"""
import asyncio
import json
import logging
import sys

from telethon.network.connection import (
    ConnectionTcpAbridged,
    ConnectionTcpFull,
    ConnectionTcpIntermediate,
    ConnectionTcpMTProxyAbridged,
    ConnectionTcpMTProxyIntermediate,
    ConnectionTcpMTProxyRandomizedIntermediate,
    ConnectionTcpObfuscated,
)


class Loggers(dict):
    def __missing__(self, key):
        return logging.getLogger(key)


async def run(name, cls, args, proxy):
    result = {"codec": name, "ok": False, "echoes": []}
    conn = cls(args["host"], args["port"], 2, loggers=Loggers(), proxy=proxy)
    try:
        await asyncio.wait_for(conn.connect(timeout=5), 10)
        for packet in args["packets"]:
            await conn.send(bytes.fromhex(packet))
            echo = await asyncio.wait_for(conn.recv(), 5)
            result["echoes"].append(echo.hex())
        result["ok"] = True
    except Exception as e:  # report, never hang
        result["error"] = f"{type(e).__name__}: {e}"
    finally:
        await conn.disconnect()
    return result


async def main():
    args = json.loads(sys.stdin.read())
    proxy_plain = (args["host"], args["port"], args["plainSecret"])
    proxy_dd = (args["host"], args["port"], args["ddSecret"])
    cases = [
        ("full", ConnectionTcpFull, None),
        ("intermediate", ConnectionTcpIntermediate, None),
        ("abridged", ConnectionTcpAbridged, None),
        ("obfuscated", ConnectionTcpObfuscated, None),
        ("mtproxy-abridged", ConnectionTcpMTProxyAbridged, proxy_plain),
        ("mtproxy-intermediate", ConnectionTcpMTProxyIntermediate, proxy_plain),
        ("mtproxy-dd", ConnectionTcpMTProxyRandomizedIntermediate, proxy_dd),
    ]
    results = await asyncio.gather(*(run(n, c, args, p) for n, c, p in cases))
    print(json.dumps({"results": results}))


asyncio.run(main())
