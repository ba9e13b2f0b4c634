# SPDX-License-Identifier: MIT
# XenStore from outside: over its UNIX socket, driven by Debian's
# xenstore-utils (skipped without them; xs_serve is the host: a store with
# a fake domain 1) and by clients that do not read (check_xenstore_socket);
# over a guest's ring by a guest that does not read (xenstore_noread.sh).
check_PROGRAMS += integration/xs_serve integration/check_xenstore_socket
TESTS += integration/xenstore_socket.sh integration/check_xenstore_socket \
	integration/xenstore_noread.sh
EXTRA_DIST += integration/xenstore_socket.sh integration/xenstore_noread.sh
