# SPDX-License-Identifier: MIT
# Fuzz targets, one per untrusted input: fuzz/<input>/
# holds fuzz_<input>.c (LLVMFuzzerTestOneInput) and its seed corpus,
# corpus/. Each target is built twice:
#  - fuzz/<input>/fuzz_<input>: with fuzz_main.c, by the ordinary compiler
#    and flags (tests/Makefile.am); a test of make check that runs every
#    seed once;
#  - fuzz/<input>/fuzz_<input>-libfuzzer (./configure --enable-fuzzers):
#    the libFuzzer binary, by clang, over clang-built copies of libpvhv.a
#    and libpvctl.a in fuzz/lib/ (coverage-instrumented, with ASan and
#    UBSan). Not run by make check; see fuzz/README.md.

# A new target is two lines: its name in FUZZ_TARGETS and its sources
# (fuzz_main.c and its own); its corpus goes into the tarball by itself.

FUZZ_TARGETS = \
	fuzz/blkif/fuzz_blkif \
	fuzz/console_ring/fuzz_console_ring \
	fuzz/control_serve/fuzz_control_serve \
	fuzz/control_socket/fuzz_control_socket \
	fuzz/control_wire/fuzz_control_wire \
	fuzz/domain_xml/fuzz_domain_xml \
	fuzz/elf/fuzz_elf \
	fuzz/guest_paging/fuzz_guest_paging \
	fuzz/hypercall/fuzz_hypercall \
	fuzz/xenbus/fuzz_xenbus \
	fuzz/xenstore_ring/fuzz_xenstore_ring \
	fuzz/xenstore_socket/fuzz_xenstore_socket \
	fuzz/xenstore_wire/fuzz_xenstore_wire
check_PROGRAMS += $(FUZZ_TARGETS)
TESTS += $(FUZZ_TARGETS)
EXTRA_DIST += fuzz/README.md fuzz/sublib.mk fuzz/fuzz_domain.h

fuzz_blkif_fuzz_blkif_SOURCES = fuzz/fuzz_main.c fuzz/blkif/fuzz_blkif.c
fuzz_console_ring_fuzz_console_ring_SOURCES = fuzz/fuzz_main.c fuzz/console_ring/fuzz_console_ring.c
fuzz_control_serve_fuzz_control_serve_SOURCES = fuzz/fuzz_main.c fuzz/control_serve/fuzz_control_serve.c
fuzz_control_socket_fuzz_control_socket_SOURCES = fuzz/fuzz_main.c fuzz/control_socket/fuzz_control_socket.c
fuzz_control_wire_fuzz_control_wire_SOURCES = fuzz/fuzz_main.c fuzz/control_wire/fuzz_control_wire.c
fuzz_domain_xml_fuzz_domain_xml_SOURCES = fuzz/fuzz_main.c fuzz/domain_xml/fuzz_domain_xml.c
fuzz_elf_fuzz_elf_SOURCES = fuzz/fuzz_main.c fuzz/elf/fuzz_elf.c
fuzz_guest_paging_fuzz_guest_paging_SOURCES = fuzz/fuzz_main.c fuzz/guest_paging/fuzz_guest_paging.c
fuzz_hypercall_fuzz_hypercall_SOURCES = fuzz/fuzz_main.c fuzz/hypercall/fuzz_hypercall.c
fuzz_xenbus_fuzz_xenbus_SOURCES = fuzz/fuzz_main.c fuzz/xenbus/fuzz_xenbus.c
fuzz_xenstore_ring_fuzz_xenstore_ring_SOURCES = fuzz/fuzz_main.c fuzz/xenstore_ring/fuzz_xenstore_ring.c
fuzz_xenstore_socket_fuzz_xenstore_socket_SOURCES = fuzz/fuzz_main.c fuzz/xenstore_socket/fuzz_xenstore_socket.c
fuzz_xenstore_wire_fuzz_xenstore_wire_SOURCES = fuzz/fuzz_main.c fuzz/xenstore_wire/fuzz_xenstore_wire.c

# Where the replay finds fuzz_<input>'s corpus (fuzz_main.c), and the
# schema that domain_xml validates against.
AM_CPPFLAGS += -DFUZZ_CORPUS_ROOT='"$(abs_srcdir)/fuzz"' \
	-DFUZZ_SCHEMA_DIR='"$(abs_top_srcdir)/toolstack/schema"' \
	-DFUZZ_GUESTS_DIR='"$(abs_builddir)/guests"'

# The seed corpora, whatever targets there are.
dist-hook: dist-fuzz-corpora
dist-fuzz-corpora:
	dist=`cd "$(distdir)" && pwd` && cd $(srcdir) && \
	for c in fuzz/*/corpus; do \
	  test -d "$$c" || continue; \
	  $(MKDIR_P) "$$dist/$$c" && cp -pR "$$c/." "$$dist/$$c/" || exit 1; \
	done

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

FUZZ_COMPILE = $(FUZZ_CC) $(DEFS) $(AM_CPPFLAGS) $(FUZZ_INSTR_CFLAGS) \
	-Wall -Wextra -std=gnu11 -pthread
FUZZ_LINK_LIBS = $(FUZZ_PVCTL_LIB) $(FUZZ_PVHV_LIB) $(LIBXML2_LIBS) \
	$(UUID_LIBS) $(SECCOMP_LIBS)

# fuzz/<input>/fuzz_<input>-libfuzzer, from fuzz_<input>.c, for every
# target in FUZZ_TARGETS: nothing to add per target.
FUZZ_LIBFUZZERS = $(FUZZ_TARGETS:=-libfuzzer)
all-local: $(FUZZ_LIBFUZZERS)
FUZZ_LIBFUZZER_OBJS = $(FUZZ_TARGETS:=-libfuzzer.o)
CLEANFILES += $(FUZZ_LIBFUZZERS) $(FUZZ_LIBFUZZER_OBJS)

# GNU make's pattern rules (as fuzz/sublib.mk's vpath: --enable-fuzzers
# needs GNU make).
$(FUZZ_LIBFUZZER_OBJS): fuzz/fuzz_domain.h
fuzz/%-libfuzzer.o: fuzz/%.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(FUZZ_COMPILE) -c -o $@ $<
fuzz/%-libfuzzer: fuzz/%-libfuzzer.o $(FUZZ_PVCTL_LIB) $(FUZZ_PVHV_LIB)
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_LINK_FLAGS) -o $@ $< $(FUZZ_LINK_LIBS)
endif

# The clang-built libraries (--enable-fuzzers).
clean-local:
	-rm -rf fuzz/lib
