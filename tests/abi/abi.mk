# SPDX-License-Identifier: MIT
# ABI tests: our headers' layouts pinned to Xen's published numbers, and
# compared row by row with Xen's own headers where libxen-dev is installed.
check_PROGRAMS += abi/check_abi_layout abi/check_abi_xen
TESTS += abi/check_abi_layout abi/check_abi_xen

abi_check_abi_layout_SOURCES = abi/check_abi_layout.c
abi_check_abi_layout_CPPFLAGS = $(HOST_CPPFLAGS)
abi_check_abi_layout_CFLAGS = $(HOST_CFLAGS)
abi_check_abi_layout_LDFLAGS = $(HOST_LDFLAGS)

# Our rows and Xen's come from separate objects: the two header sets use
# the same names and cannot share a translation unit.
if HAVE_XEN_HEADERS
abi_check_abi_xen_SOURCES = abi/check_abi_xen.c abi/abi_rows.h \
	abi/abi_items.h abi/abi_rows_ours.c abi/abi_rows_xen.c
else
abi_check_abi_xen_SOURCES = abi/check_abi_xen_skip.c
endif
abi_check_abi_xen_CPPFLAGS = $(HOST_CPPFLAGS)
abi_check_abi_xen_CFLAGS = $(HOST_CFLAGS)
abi_check_abi_xen_LDFLAGS = $(HOST_LDFLAGS)
