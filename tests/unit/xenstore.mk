# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/core/xenstore: tree and permissions, transactions,
# watches, the wire protocol byte by byte, and the bounds on output (flow).
# Linked against libpvhv.a. One line each.
XENSTORE_UNIT_TESTS = \
	unit/check_xenstore_flow \
	unit/check_xenstore_transaction \
	unit/check_xenstore_tree \
	unit/check_xenstore_watch \
	unit/check_xenstore_wire
check_PROGRAMS += $(XENSTORE_UNIT_TESTS)
TESTS += $(XENSTORE_UNIT_TESTS)
EXTRA_DIST += unit/xenstore_test.h
