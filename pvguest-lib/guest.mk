# SPDX-License-Identifier: MIT
# guest.mk: how to build a guest kernel against libpvguest in this tree.
# Include it once per Makefile.am of guests, and set there, once:
#   AM_CFLAGS = $(GUEST_KERNEL_COMPILE)
#   AM_LDFLAGS = $(GUEST_KERNEL_LINK)
#   LDADD = $(GUEST_KERNEL_LINKLIBS)
#   $(GUESTS_OF_THAT_MAKEFILE): $(GUEST_KERNEL_LDSCRIPT)
# then each guest is its name in noinst_PROGRAMS (tests/guests/Makefile.am).
# (Names chosen not to end in _CFLAGS/_LDFLAGS, which automake reserves.)

GUEST_KERNEL_LIB = $(top_builddir)/pvguest-lib/libpvguest.a
GUEST_KERNEL_LDSCRIPT = $(top_srcdir)/pvguest-lib/pvguest.ld

GUEST_KERNEL_COMPILE = $(GUEST_CFLAGS) \
	-I$(top_srcdir)/pvguest-lib/include -I$(top_srcdir)/abi/include
GUEST_KERNEL_LINK = $(GUEST_LDFLAGS) -Wl,-T,$(GUEST_KERNEL_LDSCRIPT)
GUEST_KERNEL_LINKLIBS = $(GUEST_KERNEL_LIB) $(GUEST_LIBGCC)
GUEST_KERNEL_DEPS = $(GUEST_KERNEL_LIB) $(GUEST_KERNEL_LDSCRIPT)

# Build the library first when a guest is built on its own.
$(GUEST_KERNEL_LIB):
	$(MAKE) $(AM_MAKEFLAGS) -C $(top_builddir)/pvguest-lib libpvguest.a
