#!/usr/bin/env python3
"""Writes the golden files of snapshot chunk codec v1 from the specification in
Docs/formats.md ("Snapshot chunk codec v1"), independently of Strata's Swift code.
Run once; the outputs are committed and read by RowCodecGoldenTests forever.
Do not regenerate: a change here means a new codec version."""
import json, struct, zlib

def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)

def zigzag(v):
    return ((v << 1) ^ (v >> 63)) & 0xFFFFFFFFFFFFFFFF

def encode(value):
    kind, payload = value
    if kind == "null":
        return b"\x00"
    if kind == "integer":
        return b"\x01" + varint(zigzag(payload))
    if kind == "real_bits":
        return b"\x02" + struct.pack("<Q", int(payload, 16))
    if kind == "text":
        data = payload.encode("utf-8")
        return b"\x03" + varint(len(data)) + data
    if kind == "blob_hex":
        data = bytes.fromhex(payload)
        return b"\x04" + varint(len(data)) + data
    raise ValueError(kind)

# Three columns per row. Doubles are given by their IEEE-754 bit pattern (hex).
rows = [
    [["integer", 0], ["integer", -1], ["integer", 1]],
    [["integer", 9223372036854775807], ["integer", -9223372036854775808], ["integer", 300]],
    [["real_bits", "8000000000000000"], ["real_bits", "7fe1ccf385ebc8a0"], ["real_bits", "0000000000000001"]],
    [["real_bits", "7ff8000000000001"], ["real_bits", "3fb999999999999a"], ["null", None]],
    [["text", ""], ["text", "it's; -- \"quoted\""], ["text", "naïve — ✓ 🎉"]],
    [["blob_hex", ""], ["blob_hex", "00ff00"], ["text", "a\u0000b"]],
]
raw = b"".join(encode(v) for row in rows for v in row)
open("rows.bin", "wb").write(raw)
# The stored form of a zlib-encoded chunk (encoding 1): RFC 1950 at level 1.
open("rows.zlib", "wb").write(zlib.compress(raw, 1))
json.dump({"codec": 1, "columns": 3, "rows": rows, "raw_size": len(raw),
           "crc32": zlib.crc32(raw)}, open("rows.json", "w"), indent=1, ensure_ascii=False)
print(len(raw), zlib.crc32(raw))
