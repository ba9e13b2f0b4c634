# SPDX-License-Identifier: MIT
# XenStore from outside: over its UNIX socket, driven by Debian's
# xenstore-utils (skipped without them; xs_serve is the host: a store with
# a fake domain 1) and by clients that do not read (check_xenstore_socket);
# over a guest's ring by a guest that does not read (xenstore_noread.sh).
check_PROGRAMS += integration/xs_serve integration/check_xenstore_socket
integration_xs_serve_SOURCES = integration/xs_serve.c
integration_xs_serve_CPPFLAGS = $(HOST_CPPFLAGS)
integration_xs_serve_CFLAGS = $(HOST_CFLAGS)
integration_xs_serve_LDFLAGS = $(HOST_LDFLAGS)
integration_xs_serve_LDADD = $(PVHV_LIBS)
integration_check_xenstore_socket_SOURCES = integration/check_xenstore_socket.c
integration_check_xenstore_socket_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
integration_check_xenstore_socket_CFLAGS = $(HOST_CFLAGS)
integration_check_xenstore_socket_LDFLAGS = $(HOST_LDFLAGS)
integration_check_xenstore_socket_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
TESTS += integration/xenstore_socket.sh integration/check_xenstore_socket \
	integration/xenstore_noread.sh
EXTRA_DIST += integration/xenstore_socket.sh integration/xenstore_noread.sh
