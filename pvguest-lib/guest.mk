# SPDX-License-Identifier: MIT
# guest.mk: how to build a guest kernel against libpvguest in this tree.
# Include it once per Makefile.am, then per guest program P:
#   P_CFLAGS = $(GUEST_KERNEL_COMPILE)
#   P_LDFLAGS = $(GUEST_KERNEL_LINK)
#   P_LDADD = $(GUEST_KERNEL_LINKLIBS)
#   P_DEPENDENCIES = $(GUEST_KERNEL_DEPS)
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
