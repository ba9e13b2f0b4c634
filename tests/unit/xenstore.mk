# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/core/xenstore: tree and permissions, transactions,
# watches, the wire protocol byte by byte, and the bounds on output (flow).
# Linked against libpvhv.a.
XENSTORE_UNIT_TESTS = unit/check_xenstore_tree unit/check_xenstore_transaction \
	unit/check_xenstore_watch unit/check_xenstore_wire unit/check_xenstore_flow
check_PROGRAMS += $(XENSTORE_UNIT_TESTS)
TESTS += $(XENSTORE_UNIT_TESTS)
EXTRA_DIST += unit/xenstore_test.h

XENSTORE_UNIT_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
XENSTORE_UNIT_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_xenstore_tree_SOURCES = unit/check_xenstore_tree.c unit/xenstore_test.h
unit_check_xenstore_tree_CPPFLAGS = $(XENSTORE_UNIT_CPPFLAGS)
unit_check_xenstore_tree_CFLAGS = $(HOST_CFLAGS)
unit_check_xenstore_tree_LDFLAGS = $(HOST_LDFLAGS)
unit_check_xenstore_tree_LDADD = $(XENSTORE_UNIT_LDADD)

unit_check_xenstore_transaction_SOURCES = unit/check_xenstore_transaction.c unit/xenstore_test.h
unit_check_xenstore_transaction_CPPFLAGS = $(XENSTORE_UNIT_CPPFLAGS)
unit_check_xenstore_transaction_CFLAGS = $(HOST_CFLAGS)
unit_check_xenstore_transaction_LDFLAGS = $(HOST_LDFLAGS)
unit_check_xenstore_transaction_LDADD = $(XENSTORE_UNIT_LDADD)

unit_check_xenstore_watch_SOURCES = unit/check_xenstore_watch.c unit/xenstore_test.h
unit_check_xenstore_watch_CPPFLAGS = $(XENSTORE_UNIT_CPPFLAGS)
unit_check_xenstore_watch_CFLAGS = $(HOST_CFLAGS)
unit_check_xenstore_watch_LDFLAGS = $(HOST_LDFLAGS)
unit_check_xenstore_watch_LDADD = $(XENSTORE_UNIT_LDADD)

unit_check_xenstore_wire_SOURCES = unit/check_xenstore_wire.c unit/xenstore_test.h
unit_check_xenstore_wire_CPPFLAGS = $(XENSTORE_UNIT_CPPFLAGS)
unit_check_xenstore_wire_CFLAGS = $(HOST_CFLAGS)
unit_check_xenstore_wire_LDFLAGS = $(HOST_LDFLAGS)
unit_check_xenstore_wire_LDADD = $(XENSTORE_UNIT_LDADD)

unit_check_xenstore_flow_SOURCES = unit/check_xenstore_flow.c unit/xenstore_test.h
unit_check_xenstore_flow_CPPFLAGS = $(XENSTORE_UNIT_CPPFLAGS)
unit_check_xenstore_flow_CFLAGS = $(HOST_CFLAGS)
unit_check_xenstore_flow_LDFLAGS = $(HOST_LDFLAGS)
unit_check_xenstore_flow_LDADD = $(XENSTORE_UNIT_LDADD)
