# SPDX-License-Identifier: MIT
# Unit tests of grant tables (core/grant_table*.c): entries, map/unmap
# through a fake platform, copy, the maptrack, table lifetime. Linked
# against libpvhv.a; no /dev/kvm needed.
GRANTS_UNIT_TESTS = unit/check_grant_table
check_PROGRAMS += $(GRANTS_UNIT_TESTS)
TESTS += $(GRANTS_UNIT_TESTS)

unit_check_grant_table_SOURCES = unit/check_grant_table.c unit/grant_test.h
unit_check_grant_table_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_grant_table_CFLAGS = $(HOST_CFLAGS)
unit_check_grant_table_LDFLAGS = $(HOST_LDFLAGS)
unit_check_grant_table_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
