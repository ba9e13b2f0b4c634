# SPDX-License-Identifier: MIT
# Unit tests of the toolstack (toolstack/libpvctl): the domain XML and its
# files; pvhvd's control messages and domain names, ids and UUIDs. One
# line each.
TOOLSTACK_UNIT_TESTS = \
	unit/check_control \
	unit/check_domain_files \
	unit/check_domain_xml
check_PROGRAMS += $(TOOLSTACK_UNIT_TESTS)
TESTS += $(TOOLSTACK_UNIT_TESTS)

# Where the schema is found, installed and in the source tree.
unit_check_domain_xml_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPVHV_PKGDATADIR='"$(pkgdatadir)"' \
	-DPVHV_SRCDATADIR='"$(abs_top_srcdir)/toolstack/schema"'
