# SPDX-License-Identifier: MIT
# Unit tests of the toolstack (toolstack/libpvctl), included by tests/Makefile.am.

check_PROGRAMS += unit/check_domain_xml
TESTS += unit/check_domain_xml
unit_check_domain_xml_SOURCES = unit/check_domain_xml.c
unit_check_domain_xml_CPPFLAGS = $(HOST_CPPFLAGS) $(LIBXML2_CFLAGS) \
	$(UUID_CFLAGS) $(CHECK_CFLAGS) \
	-DPVHV_PKGDATADIR='"$(pkgdatadir)"' \
	-DPVHV_SRCDATADIR='"$(abs_top_srcdir)/toolstack/schema"'
unit_check_domain_xml_CFLAGS = $(HOST_CFLAGS)
unit_check_domain_xml_LDFLAGS = $(HOST_LDFLAGS)
unit_check_domain_xml_LDADD = $(PVCTL_LIBS) $(CHECK_LIBS)

check_PROGRAMS += unit/check_domain_files
TESTS += unit/check_domain_files
unit_check_domain_files_SOURCES = unit/check_domain_files.c
unit_check_domain_files_CPPFLAGS = $(HOST_CPPFLAGS) $(LIBXML2_CFLAGS) \
	$(UUID_CFLAGS) $(CHECK_CFLAGS)
unit_check_domain_files_CFLAGS = $(HOST_CFLAGS)
unit_check_domain_files_LDFLAGS = $(HOST_LDFLAGS)
unit_check_domain_files_LDADD = $(PVCTL_LIBS) $(CHECK_LIBS)

# pvhvd's control messages and domain names, ids and UUIDs.
check_PROGRAMS += unit/check_control
TESTS += unit/check_control
unit_check_control_SOURCES = unit/check_control.c
unit_check_control_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_control_CFLAGS = $(HOST_CFLAGS)
unit_check_control_LDFLAGS = $(HOST_LDFLAGS)
unit_check_control_LDADD = $(PVCTL_LIBS) $(CHECK_LIBS)
