"""Fewer malloc arenas for the app's threads.

glibc gives each thread that allocates its own malloc arena (up to eight per
core). Under ASGI every view runs in a thread, and a page render or a JSON
reply allocates megabytes outside Python's small-object allocator, so freed
memory stayed scattered over many arenas and a worker's resident size kept
growing: 16 concurrent 10,000-comment renders peaked at 307 and 366 MB per
process with the default, 214 and 216 MB with two arenas. This is what
MALLOC_ARENA_MAX=2 does, set from inside, so every way of starting the app
gets it. A no-op off glibc.
"""

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # from glibc's malloc.h
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Caps glibc's malloc arenas (before the app starts its threads); True if it took."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc
        return False
