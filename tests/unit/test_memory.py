import platform

from broadsheet.core.memory import limit_malloc_arenas


def test_malloc_arenas_are_capped_on_glibc_and_left_alone_elsewhere():
    on_glibc = platform.libc_ver()[0] == "glibc"
    assert limit_malloc_arenas() is on_glibc
