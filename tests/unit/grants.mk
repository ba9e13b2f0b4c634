# SPDX-License-Identifier: MIT
# Unit tests of grant tables (core/grant_table*.c): entries, map/unmap
# through a fake platform, copy, the maptrack, table lifetime. Linked
# against libpvhv.a; no /dev/kvm needed. One line each.
GRANTS_UNIT_TESTS = \
	unit/check_grant_table
check_PROGRAMS += $(GRANTS_UNIT_TESTS)
TESTS += $(GRANTS_UNIT_TESTS)
unit_check_grant_table_SOURCES = unit/check_grant_table.c $(FIXTURE_SOURCES)
EXTRA_DIST += unit/grant_test.h
