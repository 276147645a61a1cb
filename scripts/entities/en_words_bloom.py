#!/usr/bin/env python3
"""Writes data/entities/generated/en-words.bloom: a Bloom filter of English dictionary
words (npm `word-list`, MIT), so that the entity engine can tell an everyday word that
starts a sentence or a table row ("Region") from a name, without shipping 2.6 MB of words.

Format: b"NWBF1", u32 bits (little endian), u8 hashes, then the bit array. Membership of a
lower-case word w: for i in 0..hashes, bit ((h1 + i*h2) mod 2^64) % bits is set, where h1 and h2 are
FNV-1a 64 of w's UTF-8 bytes with the two offset bases below (src/entities/gazetteer.rs
reads it the same way). Words of 4 to 14 letters only: shorter and longer ones are never
compared as names. Deterministic: the same input gives the same bytes.
"""
import math
import struct
import sys

FNV_PRIME = 0x100000001B3
BASIS_1 = 0xCBF29CE484222325
BASIS_2 = 0x84222325CBF29CE4
MASK = (1 << 64) - 1


def fnv(data: bytes, basis: int) -> int:
    h = basis
    for b in data:
        h ^= b
        h = (h * FNV_PRIME) & MASK
    return h


def main(words_path: str, out_path: str) -> None:
    words = sorted({w.strip() for w in open(words_path, encoding="utf-8")
                    if 4 <= len(w.strip()) <= 14 and w.strip().isalpha() and w.strip().islower()})
    n = len(words)
    p = 0.005
    bits = int(-n * math.log(p) / (math.log(2) ** 2))
    bits = (bits + 7) // 8 * 8
    hashes = max(1, round(bits / n * math.log(2)))
    array = bytearray(bits // 8)
    for w in words:
        data = w.encode("utf-8")
        h1, h2 = fnv(data, BASIS_1), fnv(data, BASIS_2) | 1
        for i in range(hashes):
            bit = ((h1 + i * h2) & MASK) % bits
            array[bit // 8] |= 1 << (bit % 8)
    with open(out_path, "wb") as f:
        f.write(b"NWBF1" + struct.pack("<IB", bits, hashes) + bytes(array))
    print(f"{out_path}: {n} words, {bits} bits, {hashes} hashes", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
