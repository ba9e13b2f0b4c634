# SPDX-License-Identifier: MIT
# guests.mk: the test guest kernels, one folder each, built by `make` (pvbench
# boots some of them too).
# Each prints a verdict line (SUCCESS or ABORT: <why>) unless it is meant
# to crash; the integration tests boot them and check console and exit.

include $(top_srcdir)/pvguest-lib/guest.mk

noinst_PROGRAMS += \
	guests/enosys/enosys.elf \
	guests/efault/efault.elf \
	guests/pagefault/pagefault.elf \
	guests/triplefault/triplefault.elf \
	guests/bigbss/bigbss.elf \
	guests/bench_hypercall/bench_hypercall.elf \
	guests/events_local/events_local.elf \
	guests/timer/timer.elf \
	guests/xenstore_guest/xenstore_guest.elf \
	guests/xs_flood/xs_flood.elf \
	guests/xs_noread/xs_noread.elf \
	guests/xs_worker/xs_worker.elf \
	guests/vcpus/vcpus.elf \
	guests/shutdown_wait/shutdown_wait.elf \
	guests/lifecycle/lifecycle.elf \
	guests/bench_xenstore/bench_xenstore.elf \
	guests/evtchn_thief/evtchn_thief.elf \
	guests/bench_gnttab/bench_gnttab.elf

EXTRA_DIST += guests/testguest.h \
	guests/events_local/events_local.xml \
	guests/timer/timer.xml \
	guests/xenstore_guest/xenstore_guest.xml \
	guests/xs_flood/xs_flood.xml \
	guests/xs_worker/xs_worker.xml \
	guests/vcpus/vcpus.xml \
	guests/shutdown_wait/shutdown_wait.xml

guests_enosys_enosys_elf_SOURCES = guests/enosys/enosys.c
guests_enosys_enosys_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_enosys_enosys_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_enosys_enosys_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_enosys_enosys_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_efault_efault_elf_SOURCES = guests/efault/efault.c
guests_efault_efault_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_efault_efault_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_efault_efault_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_efault_efault_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_pagefault_pagefault_elf_SOURCES = guests/pagefault/pagefault.c
guests_pagefault_pagefault_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_pagefault_pagefault_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_pagefault_pagefault_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_pagefault_pagefault_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_triplefault_triplefault_elf_SOURCES = guests/triplefault/triplefault.c
guests_triplefault_triplefault_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_triplefault_triplefault_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_triplefault_triplefault_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_triplefault_triplefault_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_bigbss_bigbss_elf_SOURCES = guests/bigbss/bigbss.c
guests_bigbss_bigbss_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_bigbss_bigbss_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_bigbss_bigbss_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_bigbss_bigbss_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_bench_hypercall_bench_hypercall_elf_SOURCES = \
	guests/bench_hypercall/bench_hypercall.c
guests_bench_hypercall_bench_hypercall_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_bench_hypercall_bench_hypercall_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_bench_hypercall_bench_hypercall_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_bench_hypercall_bench_hypercall_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_events_local_events_local_elf_SOURCES = guests/events_local/events_local.c
guests_events_local_events_local_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_events_local_events_local_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_events_local_events_local_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_events_local_events_local_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_timer_timer_elf_SOURCES = guests/timer/timer.c
guests_timer_timer_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_timer_timer_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_timer_timer_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_timer_timer_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_xenstore_guest_xenstore_guest_elf_SOURCES = guests/xenstore_guest/xenstore_guest.c
guests_xenstore_guest_xenstore_guest_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_xenstore_guest_xenstore_guest_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_xenstore_guest_xenstore_guest_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_xenstore_guest_xenstore_guest_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_xs_flood_xs_flood_elf_SOURCES = guests/xs_flood/xs_flood.c
guests_xs_flood_xs_flood_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_xs_flood_xs_flood_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_xs_flood_xs_flood_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_xs_flood_xs_flood_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_xs_noread_xs_noread_elf_SOURCES = guests/xs_noread/xs_noread.c
guests_xs_noread_xs_noread_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_xs_noread_xs_noread_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_xs_noread_xs_noread_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_xs_noread_xs_noread_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_xs_worker_xs_worker_elf_SOURCES = guests/xs_worker/xs_worker.c
guests_xs_worker_xs_worker_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_xs_worker_xs_worker_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_xs_worker_xs_worker_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_xs_worker_xs_worker_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_vcpus_vcpus_elf_SOURCES = guests/vcpus/vcpus.c
guests_vcpus_vcpus_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_vcpus_vcpus_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_vcpus_vcpus_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_vcpus_vcpus_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_shutdown_wait_shutdown_wait_elf_SOURCES = guests/shutdown_wait/shutdown_wait.c
guests_shutdown_wait_shutdown_wait_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_shutdown_wait_shutdown_wait_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_shutdown_wait_shutdown_wait_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_shutdown_wait_shutdown_wait_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_lifecycle_lifecycle_elf_SOURCES = guests/lifecycle/lifecycle.c
guests_lifecycle_lifecycle_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_lifecycle_lifecycle_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_lifecycle_lifecycle_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_lifecycle_lifecycle_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

# hello32.elf: the hello example in an ELF32 container (64-bit code inside),
# the way some PVH kernels ship; the loader must boot it all the same.
# check_SCRIPTS (declared in tests/Makefile.am) gets it built by `make check`.
GUEST_OBJCOPY = objcopy
GUEST_HELLO = $(top_builddir)/examples/hello/hello.elf
check_SCRIPTS += guests/hello32.elf
CLEANFILES += guests/hello32.elf

guests/hello32.elf: $(GUEST_HELLO)
	$(AM_V_GEN)$(MKDIR_P) guests && \
	$(GUEST_OBJCOPY) -O elf32-i386 $(GUEST_HELLO) $@

$(GUEST_HELLO): $(GUEST_KERNEL_DEPS) $(top_srcdir)/examples/hello/hello.c
	$(MAKE) $(AM_MAKEFLAGS) -C $(top_builddir)/examples hello/hello.elf

guests_bench_xenstore_bench_xenstore_elf_SOURCES = guests/bench_xenstore/bench_xenstore.c
guests_bench_xenstore_bench_xenstore_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_bench_xenstore_bench_xenstore_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_bench_xenstore_bench_xenstore_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_bench_xenstore_bench_xenstore_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_evtchn_thief_evtchn_thief_elf_SOURCES = guests/evtchn_thief/evtchn_thief.c
guests_evtchn_thief_evtchn_thief_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_evtchn_thief_evtchn_thief_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_evtchn_thief_evtchn_thief_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_evtchn_thief_evtchn_thief_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

# The data plane: grants, PV block devices, vchan (tests/integration/data_plane.sh).
noinst_PROGRAMS += \
	guests/blk_rw/blk_rw.elf \
	guests/blk_readonly/blk_readonly.elf \
	guests/blk_range/blk_range.elf \
	guests/blk_garbage/blk_garbage.elf \
	guests/gnt_denied/gnt_denied.elf \
	guests/vchan_server/vchan_server.elf \
	guests/vchan_client/vchan_client.elf \
	guests/bench_blk/bench_blk.elf

EXTRA_DIST += guests/blk_rw/blk_pattern.h \
	guests/vchan_server/vchan_stream.h \
	guests/blk_rw/blk_rw.xml \
	guests/blk_readonly/blk_readonly.xml \
	guests/blk_range/blk_range.xml \
	guests/blk_garbage/blk_garbage.xml \
	guests/gnt_denied/gnt_denied.xml \
	guests/vchan_server/vchan_server.xml \
	guests/vchan_client/vchan_client.xml \
	guests/bench_blk/bench_blk.xml

guests_blk_rw_blk_rw_elf_SOURCES = guests/blk_rw/blk_rw.c
guests_blk_rw_blk_rw_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_blk_rw_blk_rw_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_blk_rw_blk_rw_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_blk_rw_blk_rw_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_blk_readonly_blk_readonly_elf_SOURCES = guests/blk_readonly/blk_readonly.c
guests_blk_readonly_blk_readonly_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_blk_readonly_blk_readonly_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_blk_readonly_blk_readonly_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_blk_readonly_blk_readonly_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_blk_range_blk_range_elf_SOURCES = guests/blk_range/blk_range.c
guests_blk_range_blk_range_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_blk_range_blk_range_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_blk_range_blk_range_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_blk_range_blk_range_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_blk_garbage_blk_garbage_elf_SOURCES = guests/blk_garbage/blk_garbage.c
guests_blk_garbage_blk_garbage_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_blk_garbage_blk_garbage_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_blk_garbage_blk_garbage_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_blk_garbage_blk_garbage_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_gnt_denied_gnt_denied_elf_SOURCES = guests/gnt_denied/gnt_denied.c
guests_gnt_denied_gnt_denied_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_gnt_denied_gnt_denied_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_gnt_denied_gnt_denied_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_gnt_denied_gnt_denied_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_vchan_server_vchan_server_elf_SOURCES = guests/vchan_server/vchan_server.c
guests_vchan_server_vchan_server_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_vchan_server_vchan_server_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_vchan_server_vchan_server_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_vchan_server_vchan_server_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_vchan_client_vchan_client_elf_SOURCES = guests/vchan_client/vchan_client.c
guests_vchan_client_vchan_client_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_vchan_client_vchan_client_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_vchan_client_vchan_client_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_vchan_client_vchan_client_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_bench_blk_bench_blk_elf_SOURCES = guests/bench_blk/bench_blk.c
guests_bench_blk_bench_blk_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_bench_blk_bench_blk_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_bench_blk_bench_blk_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_bench_blk_bench_blk_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_bench_gnttab_bench_gnttab_elf_SOURCES = guests/bench_gnttab/bench_gnttab.c
guests_bench_gnttab_bench_gnttab_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_bench_gnttab_bench_gnttab_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_bench_gnttab_bench_gnttab_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_bench_gnttab_bench_gnttab_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

# Isolation of memory: hostile guests (tests/integration/isolation_memory.sh).
noinst_PROGRAMS += \
	guests/gnt_ro_overlay/gnt_ro_overlay.elf \
	guests/gnt_exhaust/gnt_exhaust.elf \
	guests/window_write/window_write.elf

guests_gnt_ro_overlay_gnt_ro_overlay_elf_SOURCES = guests/gnt_ro_overlay/gnt_ro_overlay.c
guests_gnt_ro_overlay_gnt_ro_overlay_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_gnt_ro_overlay_gnt_ro_overlay_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_gnt_ro_overlay_gnt_ro_overlay_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_gnt_ro_overlay_gnt_ro_overlay_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_gnt_exhaust_gnt_exhaust_elf_SOURCES = guests/gnt_exhaust/gnt_exhaust.c
guests_gnt_exhaust_gnt_exhaust_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_gnt_exhaust_gnt_exhaust_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_gnt_exhaust_gnt_exhaust_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_gnt_exhaust_gnt_exhaust_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_window_write_window_write_elf_SOURCES = guests/window_write/window_write.c
guests_window_write_window_write_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_window_write_window_write_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_window_write_window_write_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_window_write_window_write_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

# Devices: accesses where none is (tests/integration/io_unclaimed.sh).
noinst_PROGRAMS += guests/io_unclaimed/io_unclaimed.elf

guests_io_unclaimed_io_unclaimed_elf_SOURCES = guests/io_unclaimed/io_unclaimed.c
guests_io_unclaimed_io_unclaimed_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_io_unclaimed_io_unclaimed_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_io_unclaimed_io_unclaimed_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_io_unclaimed_io_unclaimed_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

# Guest output (tests/integration/guest_output.mk): hostile guests of the
# console and the log, and their neighbours.
noinst_PROGRAMS += \
	guests/log_flood/log_flood.elf \
	guests/console_flood/console_flood.elf \
	guests/console_io_loop/console_io_loop.elf \
	guests/console_io_huge/console_io_huge.elf \
	guests/console_io_efault/console_io_efault.elf \
	guests/long_lines/long_lines.elf

EXTRA_DIST += guests/console_io_huge/alias.h

guests_log_flood_log_flood_elf_SOURCES = guests/log_flood/log_flood.c
guests_log_flood_log_flood_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_log_flood_log_flood_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_log_flood_log_flood_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_log_flood_log_flood_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_console_flood_console_flood_elf_SOURCES = guests/console_flood/console_flood.c
guests_console_flood_console_flood_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_console_flood_console_flood_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_console_flood_console_flood_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_console_flood_console_flood_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_console_io_loop_console_io_loop_elf_SOURCES = guests/console_io_loop/console_io_loop.c
guests_console_io_loop_console_io_loop_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_console_io_loop_console_io_loop_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_console_io_loop_console_io_loop_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_console_io_loop_console_io_loop_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_console_io_huge_console_io_huge_elf_SOURCES = guests/console_io_huge/console_io_huge.c
guests_console_io_huge_console_io_huge_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_console_io_huge_console_io_huge_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_console_io_huge_console_io_huge_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_console_io_huge_console_io_huge_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_console_io_efault_console_io_efault_elf_SOURCES = guests/console_io_efault/console_io_efault.c
guests_console_io_efault_console_io_efault_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_console_io_efault_console_io_efault_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_console_io_efault_console_io_efault_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_console_io_efault_console_io_efault_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_long_lines_long_lines_elf_SOURCES = guests/long_lines/long_lines.c
guests_long_lines_long_lines_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_long_lines_long_lines_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_long_lines_long_lines_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_long_lines_long_lines_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

# A guest on emulated hardware, without libpvguest: its own PVH entry
# (hvm_entry.S) and an ATA PIO driver, booted by QEMU for pvbench's
# blk_vs_qemu (tests/bench/qemu.c).
noinst_PROGRAMS += guests/ide_pio/ide_pio.elf
guests_ide_pio_ide_pio_elf_SOURCES = guests/ide_pio/hvm_entry.S \
	guests/ide_pio/ata_pio.c guests/ide_pio/ata_pio.h \
	guests/ide_pio/ide_pio.c
guests_ide_pio_ide_pio_elf_CFLAGS = $(GUEST_CFLAGS) -I$(top_srcdir)/abi/include
guests_ide_pio_ide_pio_elf_CCASFLAGS = $(GUEST_CFLAGS) \
	-I$(top_srcdir)/abi/include
guests_ide_pio_ide_pio_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_ide_pio_ide_pio_elf_LDADD = $(GUEST_LIBGCC)
guests_ide_pio_ide_pio_elf_DEPENDENCIES = $(GUEST_KERNEL_LDSCRIPT)

# Xen's answers (ABI.md): FIFO event channel probes, small answers, ...
noinst_PROGRAMS += \
	guests/evtchn_fifo/evtchn_fifo.elf \
	guests/small_answers/small_answers.elf \
	guests/balloon/balloon.elf

guests_evtchn_fifo_evtchn_fifo_elf_SOURCES = guests/evtchn_fifo/evtchn_fifo.c
guests_evtchn_fifo_evtchn_fifo_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_evtchn_fifo_evtchn_fifo_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_evtchn_fifo_evtchn_fifo_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_evtchn_fifo_evtchn_fifo_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_small_answers_small_answers_elf_SOURCES = guests/small_answers/small_answers.c
guests_small_answers_small_answers_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_small_answers_small_answers_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_small_answers_small_answers_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_small_answers_small_answers_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

guests_balloon_balloon_elf_SOURCES = guests/balloon/balloon.c
guests_balloon_balloon_elf_CFLAGS = $(GUEST_KERNEL_COMPILE)
guests_balloon_balloon_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_balloon_balloon_elf_LDADD = $(GUEST_KERNEL_LINKLIBS)
guests_balloon_balloon_elf_DEPENDENCIES = $(GUEST_KERNEL_DEPS)

# A 32-bit guest, without libpvguest (64-bit only): Xen's compat layouts
# for callers outside 64-bit mode (pvabi/compat.h).
EXTRA_DIST += guests/compat32/compat32.ld
if HAVE_GUEST32
noinst_PROGRAMS += guests/compat32/compat32.elf
guests_compat32_compat32_elf_SOURCES = guests/compat32/compat32.c
guests_compat32_compat32_elf_CFLAGS = $(GUEST32_CFLAGS) \
	-I$(top_srcdir)/abi/include
guests_compat32_compat32_elf_LDFLAGS = $(GUEST32_LDFLAGS) \
	-Wl,-T,$(srcdir)/guests/compat32/compat32.ld
guests_compat32_compat32_elf_DEPENDENCIES = \
	$(srcdir)/guests/compat32/compat32.ld
endif

# An hvm domain's guest: no hypercalls reachable, COM1 its console;
# ide_pio's PVH entry (hvm_entry.S).
noinst_PROGRAMS += guests/hvm_probe/hvm_probe.elf
guests_hvm_probe_hvm_probe_elf_SOURCES = guests/ide_pio/hvm_entry.S \
	guests/ide_pio/com1.h guests/hvm_probe/hvm_probe.c
guests_hvm_probe_hvm_probe_elf_CFLAGS = $(GUEST_CFLAGS) -I$(top_srcdir)/abi/include
guests_hvm_probe_hvm_probe_elf_CCASFLAGS = $(GUEST_CFLAGS) \
	-I$(top_srcdir)/abi/include
guests_hvm_probe_hvm_probe_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_hvm_probe_hvm_probe_elf_LDADD = $(GUEST_LIBGCC)
guests_hvm_probe_hvm_probe_elf_DEPENDENCIES = $(GUEST_KERNEL_LDSCRIPT)

# An hvm domain's guest that writes and reads both ATA disks (ide_pio's
# entry and driver).
noinst_PROGRAMS += guests/hvm_disk/hvm_disk.elf
guests_hvm_disk_hvm_disk_elf_SOURCES = guests/ide_pio/hvm_entry.S \
	guests/ide_pio/ata_pio.c guests/hvm_disk/hvm_disk.c
guests_hvm_disk_hvm_disk_elf_CFLAGS = $(GUEST_CFLAGS) -I$(top_srcdir)/abi/include
guests_hvm_disk_hvm_disk_elf_CCASFLAGS = $(GUEST_CFLAGS) \
	-I$(top_srcdir)/abi/include
guests_hvm_disk_hvm_disk_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_hvm_disk_hvm_disk_elf_LDADD = $(GUEST_LIBGCC)
guests_hvm_disk_hvm_disk_elf_DEPENDENCIES = $(GUEST_KERNEL_LDSCRIPT)

# A Multiboot (v1) kernel without a PVH note, for an hvm domain.
noinst_PROGRAMS += guests/hvm_multiboot/hvm_multiboot.elf
guests_hvm_multiboot_hvm_multiboot_elf_SOURCES = \
	guests/hvm_multiboot/mb_header.S guests/ide_pio/hvm_entry.S \
	guests/hvm_multiboot/hvm_multiboot.c
guests_hvm_multiboot_hvm_multiboot_elf_CFLAGS = $(GUEST_CFLAGS) -I$(top_srcdir)/abi/include
guests_hvm_multiboot_hvm_multiboot_elf_CCASFLAGS = $(GUEST_CFLAGS) \
	-I$(top_srcdir)/abi/include -DHVM_NO_PVH_NOTE
guests_hvm_multiboot_hvm_multiboot_elf_LDFLAGS = $(GUEST_KERNEL_LINK)
guests_hvm_multiboot_hvm_multiboot_elf_LDADD = $(GUEST_LIBGCC)
guests_hvm_multiboot_hvm_multiboot_elf_DEPENDENCIES = $(GUEST_KERNEL_LDSCRIPT)
