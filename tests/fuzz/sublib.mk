# SPDX-License-Identifier: MIT
# sublib.mk: read before a library folder's own Makefile when fuzz.mk
# rebuilds that library with clang in a folder of its own. Sources are
# found in FUZZ_SRCDIR; objects (unlike with VPATH) never are, so the
# gcc-built objects of an in-tree build are not taken for clang ones.
vpath %.c $(FUZZ_SRCDIR)
vpath %.h $(FUZZ_SRCDIR)
