# SPDX-License-Identifier: MIT
# Fuzz targets, one per untrusted input: fuzz/<input>/
# holds fuzz_<input>.c (LLVMFuzzerTestOneInput) and its seed corpus,
# corpus/. Each target is built twice:
#  - fuzz/<input>/fuzz_<input>: with fuzz_main.c, by the ordinary compiler
#    and flags; a test of make check that runs every seed once;
#  - fuzz/<input>/fuzz_<input>-libfuzzer (./configure --enable-fuzzers):
#    the libFuzzer binary, by clang, over clang-built copies of libpvhv.a
#    and libpvctl.a in fuzz/lib/ (coverage-instrumented, with ASan and
#    UBSan). Not run by make check; see fuzz/README.md.

FUZZ_TARGETS = \
	fuzz/elf/fuzz_elf \
	fuzz/domain_xml/fuzz_domain_xml \
	fuzz/xenstore_wire/fuzz_xenstore_wire \
	fuzz/xenstore_ring/fuzz_xenstore_ring \
	fuzz/xenstore_socket/fuzz_xenstore_socket \
	fuzz/hypercall/fuzz_hypercall \
	fuzz/guest_paging/fuzz_guest_paging \
	fuzz/console_ring/fuzz_console_ring \
	fuzz/blkif/fuzz_blkif \
	fuzz/xenbus/fuzz_xenbus
check_PROGRAMS += $(FUZZ_TARGETS)
TESTS += $(FUZZ_TARGETS)
EXTRA_DIST += fuzz/README.md fuzz/sublib.mk fuzz/fuzz_domain.h \
	fuzz/elf/corpus \
	fuzz/domain_xml/corpus \
	fuzz/xenstore_wire/corpus \
	fuzz/xenstore_ring/corpus \
	fuzz/xenstore_socket/corpus \
	fuzz/hypercall/corpus \
	fuzz/guest_paging/corpus \
	fuzz/console_ring/corpus \
	fuzz/blkif/corpus \
	fuzz/xenbus/corpus

FUZZ_SCHEMA_DEF = -DFUZZ_SCHEMA_DIR='"$(abs_top_srcdir)/toolstack/schema"'

fuzz_elf_fuzz_elf_SOURCES = fuzz/fuzz_main.c fuzz/elf/fuzz_elf.c
fuzz_elf_fuzz_elf_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/elf/corpus"'
fuzz_elf_fuzz_elf_CFLAGS = $(HOST_CFLAGS)
fuzz_elf_fuzz_elf_LDFLAGS = $(HOST_LDFLAGS)
fuzz_elf_fuzz_elf_LDADD = $(PVHV_LIBS)

fuzz_domain_xml_fuzz_domain_xml_SOURCES = fuzz/fuzz_main.c \
	fuzz/domain_xml/fuzz_domain_xml.c
fuzz_domain_xml_fuzz_domain_xml_CPPFLAGS = $(HOST_CPPFLAGS) $(FUZZ_SCHEMA_DEF) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/domain_xml/corpus"'
fuzz_domain_xml_fuzz_domain_xml_CFLAGS = $(HOST_CFLAGS)
fuzz_domain_xml_fuzz_domain_xml_LDFLAGS = $(HOST_LDFLAGS)
fuzz_domain_xml_fuzz_domain_xml_LDADD = $(PVCTL_LIBS)

fuzz_xenstore_wire_fuzz_xenstore_wire_SOURCES = fuzz/fuzz_main.c \
	fuzz/xenstore_wire/fuzz_xenstore_wire.c
fuzz_xenstore_wire_fuzz_xenstore_wire_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/xenstore_wire/corpus"'
fuzz_xenstore_wire_fuzz_xenstore_wire_CFLAGS = $(HOST_CFLAGS)
fuzz_xenstore_wire_fuzz_xenstore_wire_LDFLAGS = $(HOST_LDFLAGS)
fuzz_xenstore_wire_fuzz_xenstore_wire_LDADD = $(PVHV_LIBS)

fuzz_xenstore_ring_fuzz_xenstore_ring_SOURCES = fuzz/fuzz_main.c \
	fuzz/xenstore_ring/fuzz_xenstore_ring.c
fuzz_xenstore_ring_fuzz_xenstore_ring_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/xenstore_ring/corpus"'
fuzz_xenstore_ring_fuzz_xenstore_ring_CFLAGS = $(HOST_CFLAGS)
fuzz_xenstore_ring_fuzz_xenstore_ring_LDFLAGS = $(HOST_LDFLAGS)
fuzz_xenstore_ring_fuzz_xenstore_ring_LDADD = $(PVHV_LIBS)

fuzz_xenstore_socket_fuzz_xenstore_socket_SOURCES = fuzz/fuzz_main.c \
	fuzz/xenstore_socket/fuzz_xenstore_socket.c
fuzz_xenstore_socket_fuzz_xenstore_socket_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/xenstore_socket/corpus"'
fuzz_xenstore_socket_fuzz_xenstore_socket_CFLAGS = $(HOST_CFLAGS)
fuzz_xenstore_socket_fuzz_xenstore_socket_LDFLAGS = $(HOST_LDFLAGS)
fuzz_xenstore_socket_fuzz_xenstore_socket_LDADD = $(PVHV_LIBS)

fuzz_hypercall_fuzz_hypercall_SOURCES = fuzz/fuzz_main.c \
	fuzz/hypercall/fuzz_hypercall.c
fuzz_hypercall_fuzz_hypercall_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/hypercall/corpus"'
fuzz_hypercall_fuzz_hypercall_CFLAGS = $(HOST_CFLAGS)
fuzz_hypercall_fuzz_hypercall_LDFLAGS = $(HOST_LDFLAGS)
fuzz_hypercall_fuzz_hypercall_LDADD = $(PVHV_LIBS)

fuzz_guest_paging_fuzz_guest_paging_SOURCES = fuzz/fuzz_main.c \
	fuzz/guest_paging/fuzz_guest_paging.c
fuzz_guest_paging_fuzz_guest_paging_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/guest_paging/corpus"'
fuzz_guest_paging_fuzz_guest_paging_CFLAGS = $(HOST_CFLAGS)
fuzz_guest_paging_fuzz_guest_paging_LDFLAGS = $(HOST_LDFLAGS)
fuzz_guest_paging_fuzz_guest_paging_LDADD = $(PVHV_LIBS)

fuzz_console_ring_fuzz_console_ring_SOURCES = fuzz/fuzz_main.c \
	fuzz/console_ring/fuzz_console_ring.c
fuzz_console_ring_fuzz_console_ring_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/console_ring/corpus"'
fuzz_console_ring_fuzz_console_ring_CFLAGS = $(HOST_CFLAGS)
fuzz_console_ring_fuzz_console_ring_LDFLAGS = $(HOST_LDFLAGS)
fuzz_console_ring_fuzz_console_ring_LDADD = $(PVHV_LIBS)

fuzz_blkif_fuzz_blkif_SOURCES = fuzz/fuzz_main.c fuzz/blkif/fuzz_blkif.c
fuzz_blkif_fuzz_blkif_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/blkif/corpus"'
fuzz_blkif_fuzz_blkif_CFLAGS = $(HOST_CFLAGS)
fuzz_blkif_fuzz_blkif_LDFLAGS = $(HOST_LDFLAGS)
fuzz_blkif_fuzz_blkif_LDADD = $(PVHV_LIBS)

fuzz_xenbus_fuzz_xenbus_SOURCES = fuzz/fuzz_main.c fuzz/xenbus/fuzz_xenbus.c
fuzz_xenbus_fuzz_xenbus_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DFUZZ_CORPUS_DIR='"$(abs_srcdir)/fuzz/xenbus/corpus"'
fuzz_xenbus_fuzz_xenbus_CFLAGS = $(HOST_CFLAGS)
fuzz_xenbus_fuzz_xenbus_LDFLAGS = $(HOST_LDFLAGS)
fuzz_xenbus_fuzz_xenbus_LDADD = $(PVHV_LIBS)

if ENABLE_FUZZERS
# The targets' objects and the libraries: coverage, ASan, UBSan (a UBSan
# finding stops the run, as a crash does). Warnings stay on but are not
# errors: the project's -Werror is checked with its own compiler.
FUZZ_INSTR_CFLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_LIB_CFLAGS = -Wall -Wextra -std=gnu11 -pthread $(FUZZ_INSTR_CFLAGS)
FUZZ_LINK_FLAGS = -pthread -fsanitize=fuzzer,address,undefined

# A library folder's Makefile, rerun with clang in fuzz/lib/<folder>: the
# real source lists, none repeated here. Incremental (its .deps), so it
# runs every time and rebuilds only what changed.
FUZZ_SUBMAKE_ARGS = $(AM_MAKEFLAGS) CC='$(FUZZ_CC)' \
	HOST_CFLAGS='$(FUZZ_LIB_CFLAGS)' CFLAGS= CPPFLAGS= VPATH= \
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)'
FUZZ_PVHV_LIB = fuzz/lib/hypervisor/libpvhv.a
FUZZ_PVCTL_LIB = fuzz/lib/toolstack/libpvctl.a

$(FUZZ_PVHV_LIB): fuzz-lib-force
	@$(MKDIR_P) fuzz/lib/hypervisor
	$(AM_V_GEN)cd fuzz/lib/hypervisor && $(MAKE) $(FUZZ_SUBMAKE_ARGS) \
	  srcdir='$(abs_top_srcdir)/hypervisor' \
	  FUZZ_SRCDIR='$(abs_top_srcdir)/hypervisor' \
	  -f '$(abs_srcdir)/fuzz/sublib.mk' \
	  -f '$(abs_top_builddir)/hypervisor/Makefile' libpvhv.a
$(FUZZ_PVCTL_LIB): fuzz-lib-force
	@$(MKDIR_P) fuzz/lib/toolstack
	$(AM_V_GEN)cd fuzz/lib/toolstack && $(MAKE) $(FUZZ_SUBMAKE_ARGS) \
	  srcdir='$(abs_top_srcdir)/toolstack' \
	  FUZZ_SRCDIR='$(abs_top_srcdir)/toolstack' \
	  -f '$(abs_srcdir)/fuzz/sublib.mk' \
	  -f '$(abs_top_builddir)/toolstack/Makefile' libpvctl.a
fuzz-lib-force:
.PHONY: fuzz-lib-force

FUZZ_COMPILE = $(FUZZ_CC) $(DEFS) $(HOST_CPPFLAGS) $(FUZZ_INSTR_CFLAGS) \
	-Wall -Wextra -std=gnu11 -pthread
FUZZ_LIBFUZZERS = \
	fuzz/elf/fuzz_elf-libfuzzer \
	fuzz/domain_xml/fuzz_domain_xml-libfuzzer \
	fuzz/xenstore_wire/fuzz_xenstore_wire-libfuzzer \
	fuzz/xenstore_ring/fuzz_xenstore_ring-libfuzzer \
	fuzz/xenstore_socket/fuzz_xenstore_socket-libfuzzer \
	fuzz/hypercall/fuzz_hypercall-libfuzzer \
	fuzz/guest_paging/fuzz_guest_paging-libfuzzer \
	fuzz/console_ring/fuzz_console_ring-libfuzzer \
	fuzz/blkif/fuzz_blkif-libfuzzer \
	fuzz/xenbus/fuzz_xenbus-libfuzzer
noinst_PROGRAMS += $(FUZZ_LIBFUZZERS)
CLEANFILES += fuzz/elf/fuzz_elf-libfuzzer.o \
	fuzz/domain_xml/fuzz_domain_xml-libfuzzer.o \
	fuzz/xenstore_wire/fuzz_xenstore_wire-libfuzzer.o \
	fuzz/xenstore_ring/fuzz_xenstore_ring-libfuzzer.o \
	fuzz/xenstore_socket/fuzz_xenstore_socket-libfuzzer.o \
	fuzz/hypercall/fuzz_hypercall-libfuzzer.o \
	fuzz/guest_paging/fuzz_guest_paging-libfuzzer.o \
	fuzz/console_ring/fuzz_console_ring-libfuzzer.o \
	fuzz/blkif/fuzz_blkif-libfuzzer.o \
	fuzz/xenbus/fuzz_xenbus-libfuzzer.o

fuzz/elf/fuzz_elf-libfuzzer.o: fuzz/elf/fuzz_elf.c
	@$(MKDIR_P) fuzz/elf
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ $(srcdir)/fuzz/elf/fuzz_elf.c
fuzz/domain_xml/fuzz_domain_xml-libfuzzer.o: fuzz/domain_xml/fuzz_domain_xml.c
	@$(MKDIR_P) fuzz/domain_xml
	$(AM_V_CC)$(FUZZ_COMPILE) $(FUZZ_SCHEMA_DEF) -c -o $@ \
	  $(srcdir)/fuzz/domain_xml/fuzz_domain_xml.c
fuzz/xenstore_wire/fuzz_xenstore_wire-libfuzzer.o: fuzz/xenstore_wire/fuzz_xenstore_wire.c
	@$(MKDIR_P) fuzz/xenstore_wire
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ \
	  $(srcdir)/fuzz/xenstore_wire/fuzz_xenstore_wire.c
fuzz/xenstore_ring/fuzz_xenstore_ring-libfuzzer.o: fuzz/xenstore_ring/fuzz_xenstore_ring.c
	@$(MKDIR_P) fuzz/xenstore_ring
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ \
	  $(srcdir)/fuzz/xenstore_ring/fuzz_xenstore_ring.c
fuzz/xenstore_socket/fuzz_xenstore_socket-libfuzzer.o: fuzz/xenstore_socket/fuzz_xenstore_socket.c
	@$(MKDIR_P) fuzz/xenstore_socket
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ \
	  $(srcdir)/fuzz/xenstore_socket/fuzz_xenstore_socket.c
fuzz/hypercall/fuzz_hypercall-libfuzzer.o: fuzz/hypercall/fuzz_hypercall.c
	@$(MKDIR_P) fuzz/hypercall
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ $(srcdir)/fuzz/hypercall/fuzz_hypercall.c
fuzz/guest_paging/fuzz_guest_paging-libfuzzer.o: fuzz/guest_paging/fuzz_guest_paging.c
	@$(MKDIR_P) fuzz/guest_paging
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ \
	  $(srcdir)/fuzz/guest_paging/fuzz_guest_paging.c

fuzz/console_ring/fuzz_console_ring-libfuzzer.o: fuzz/console_ring/fuzz_console_ring.c
	@$(MKDIR_P) fuzz/console_ring
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ \
	  $(srcdir)/fuzz/console_ring/fuzz_console_ring.c

fuzz/blkif/fuzz_blkif-libfuzzer.o: fuzz/blkif/fuzz_blkif.c fuzz/fuzz_domain.h
	@$(MKDIR_P) fuzz/blkif
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ $(srcdir)/fuzz/blkif/fuzz_blkif.c
fuzz/xenbus/fuzz_xenbus-libfuzzer.o: fuzz/xenbus/fuzz_xenbus.c fuzz/fuzz_domain.h
	@$(MKDIR_P) fuzz/xenbus
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ $(srcdir)/fuzz/xenbus/fuzz_xenbus.c

FUZZ_LINK = $(FUZZ_CC) $(FUZZ_LINK_FLAGS) -o $@
fuzz_elf_fuzz_elf_libfuzzer_SOURCES =
fuzz_elf_fuzz_elf_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_elf_fuzz_elf_libfuzzer_LDADD = fuzz/elf/fuzz_elf-libfuzzer.o \
	$(FUZZ_PVHV_LIB) $(SECCOMP_LIBS)
fuzz_domain_xml_fuzz_domain_xml_libfuzzer_SOURCES =
fuzz_domain_xml_fuzz_domain_xml_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_domain_xml_fuzz_domain_xml_libfuzzer_LDADD = \
	fuzz/domain_xml/fuzz_domain_xml-libfuzzer.o $(FUZZ_PVCTL_LIB) \
	$(FUZZ_PVHV_LIB) $(LIBXML2_LIBS) $(UUID_LIBS) $(SECCOMP_LIBS)
fuzz_xenstore_wire_fuzz_xenstore_wire_libfuzzer_SOURCES =
fuzz_xenstore_wire_fuzz_xenstore_wire_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_xenstore_wire_fuzz_xenstore_wire_libfuzzer_LDADD = \
	fuzz/xenstore_wire/fuzz_xenstore_wire-libfuzzer.o $(FUZZ_PVHV_LIB) $(SECCOMP_LIBS)
fuzz_xenstore_ring_fuzz_xenstore_ring_libfuzzer_SOURCES =
fuzz_xenstore_ring_fuzz_xenstore_ring_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_xenstore_ring_fuzz_xenstore_ring_libfuzzer_LDADD = \
	fuzz/xenstore_ring/fuzz_xenstore_ring-libfuzzer.o $(FUZZ_PVHV_LIB) $(SECCOMP_LIBS)
fuzz_xenstore_socket_fuzz_xenstore_socket_libfuzzer_SOURCES =
fuzz_xenstore_socket_fuzz_xenstore_socket_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_xenstore_socket_fuzz_xenstore_socket_libfuzzer_LDADD = \
	fuzz/xenstore_socket/fuzz_xenstore_socket-libfuzzer.o $(FUZZ_PVHV_LIB) $(SECCOMP_LIBS)
fuzz_hypercall_fuzz_hypercall_libfuzzer_SOURCES =
fuzz_hypercall_fuzz_hypercall_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_hypercall_fuzz_hypercall_libfuzzer_LDADD = \
	fuzz/hypercall/fuzz_hypercall-libfuzzer.o $(FUZZ_PVHV_LIB) $(SECCOMP_LIBS)
fuzz_guest_paging_fuzz_guest_paging_libfuzzer_SOURCES =
fuzz_guest_paging_fuzz_guest_paging_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_guest_paging_fuzz_guest_paging_libfuzzer_LDADD = \
	fuzz/guest_paging/fuzz_guest_paging-libfuzzer.o $(FUZZ_PVHV_LIB) \
	$(SECCOMP_LIBS)
fuzz_console_ring_fuzz_console_ring_libfuzzer_SOURCES =
fuzz_console_ring_fuzz_console_ring_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_console_ring_fuzz_console_ring_libfuzzer_LDADD = \
	fuzz/console_ring/fuzz_console_ring-libfuzzer.o $(FUZZ_PVHV_LIB) \
	$(SECCOMP_LIBS)
fuzz_blkif_fuzz_blkif_libfuzzer_SOURCES =
fuzz_blkif_fuzz_blkif_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_blkif_fuzz_blkif_libfuzzer_LDADD = \
	fuzz/blkif/fuzz_blkif-libfuzzer.o $(FUZZ_PVHV_LIB) $(SECCOMP_LIBS)
fuzz_xenbus_fuzz_xenbus_libfuzzer_SOURCES =
fuzz_xenbus_fuzz_xenbus_libfuzzer_LINK = $(FUZZ_LINK)
fuzz_xenbus_fuzz_xenbus_libfuzzer_LDADD = \
	fuzz/xenbus/fuzz_xenbus-libfuzzer.o $(FUZZ_PVHV_LIB) $(SECCOMP_LIBS)
endif

# The clang-built libraries (--enable-fuzzers).
clean-local:
	-rm -rf fuzz/lib
