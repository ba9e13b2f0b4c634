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
	abi/abi_items.h abi/abi_rows_ours.c abi/abi_rows_xen.c \
	abi/abi_items_compat.h abi/abi_rows_compat_ours.c \
	abi/abi_rows_compat_xen.c
nodist_abi_check_abi_xen_SOURCES = abi/abi_rows_compat_xen.h
BUILT_SOURCES += abi/abi_rows_compat_xen.h
abi/check_abi_xen-abi_rows_compat_xen.$(OBJEXT): abi/abi_rows_compat_xen.h
CLEANFILES += abi/abi_rows_compat_xen.h
EXTRA_DIST += abi/abi_rows_compat_xen32.c

# Xen's layouts for 32-bit callers: its headers compiled for i386, to
# assembly only (no 32-bit libc needed), each row a "@@ROW name value"
# string (as Linux makes asm-offsets.h). No 32-bit compiler: no rows.
abi/abi_rows_compat_xen.h: abi/abi_rows_compat_xen32.c abi/abi_items_compat.h
	$(AM_V_GEN)$(MKDIR_P) abi && \
	if echo 'int x;' | $(CC) -m32 -ffreestanding -S -x c -o /dev/null - \
		2>/dev/null; then \
		$(CC) -m32 -ffreestanding -S -o $@.s -I$(srcdir)/abi \
			$(srcdir)/abi/abi_rows_compat_xen32.c && \
		sed -n 's/.*@@ROW \(.*\) \([0-9][0-9]*\)"$$/{"\1", \2},/p' \
			$@.s >$@.tmp && rm -f $@.s; \
	else \
		: >$@.tmp; \
	fi && mv $@.tmp $@
else
abi_check_abi_xen_SOURCES = abi/check_abi_xen_skip.c
endif
abi_check_abi_xen_CPPFLAGS = $(HOST_CPPFLAGS) -I$(builddir)/abi
abi_check_abi_xen_CFLAGS = $(HOST_CFLAGS)
abi_check_abi_xen_LDFLAGS = $(HOST_LDFLAGS)
