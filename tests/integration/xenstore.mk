# SPDX-License-Identifier: MIT
# XenStore over its UNIX socket, driven by Debian's xenstore-utils (skipped
# without them). xs_serve is the host: a store with a fake domain 1.
check_PROGRAMS += integration/xs_serve
integration_xs_serve_SOURCES = integration/xs_serve.c
integration_xs_serve_CPPFLAGS = $(HOST_CPPFLAGS)
integration_xs_serve_CFLAGS = $(HOST_CFLAGS)
integration_xs_serve_LDFLAGS = $(HOST_LDFLAGS)
integration_xs_serve_LDADD = $(PVHV_LIBS)
TESTS += integration/xenstore_socket.sh
EXTRA_DIST += integration/xenstore_socket.sh
