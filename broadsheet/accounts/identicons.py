"""Deterministic identicons: a 5x5 mirrored pattern in a colour, both from a hash of the seed."""

import hashlib
from base64 import b64encode
from functools import lru_cache


@lru_cache(maxsize=4096)
def identicon_svg(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    hue = int.from_bytes(digest[:2]) % 360
    cells = []
    bits = int.from_bytes(digest[2:10])
    for row in range(5):
        for col in range(3):
            if bits & 1:
                for x in {col, 4 - col}:
                    cells.append(f'<rect x="{x}" y="{row}" width="1" height="1"/>')
            bits >>= 1
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6">'
        '<rect x="-0.5" y="-0.5" width="6" height="6" fill="#f2f2f2"/>'
        f'<g fill="hsl({hue},55%,45%)">{"".join(cells)}</g></svg>'
    )


def identicon_data_uri(seed: str) -> str:
    return "data:image/svg+xml;base64," + b64encode(identicon_svg(seed).encode()).decode()
