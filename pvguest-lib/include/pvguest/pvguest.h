/* SPDX-License-Identifier: MIT */
/* pvguest.h: everything a guest kernel linked with libpvguest may use. */
#ifndef PVGUEST_PVGUEST_H
#define PVGUEST_PVGUEST_H

/*
 * A guest kernel is one C file defining main(). libpvguest boots it (PVH
 * entry, long mode, traps, hypercall page, console), calls main() and
 * passes its return value to exit(). Everything here is freestanding: the
 * only headers used besides ours are the compiler's <stddef.h>,
 * <stdint.h> and <stdarg.h>, and the ABI headers in <pvabi/...>.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <pvabi/cpuid.h>
#include <pvabi/errno.h>
#include <pvabi/pvhv.h>
#include <pvabi/sched.h>
#include <pvabi/start_info.h>
#include <pvabi/version.h>
#include <pvabi/xen.h>

#include <pvabi/event_channel.h>
#include <pvabi/hvm.h>
#include <pvabi/memory.h>
#include <pvabi/vcpu.h>
#include <pvabi/xs_wire.h>

#include <pvguest/blkfront.h>
#include <pvguest/console.h>
#include <pvguest/events.h>
#include <pvguest/gnttab.h>
#include <pvguest/hypercall.h>
#include <pvguest/mm.h>
#include <pvguest/smp.h>
#include <pvguest/string.h>
#include <pvguest/time.h>
#include <pvguest/vchan.h>
#include <pvguest/xenbus.h>

/* The guest kernel's entry point; its return value goes to exit(). */
int main(void);

/*
 * pvguest_cmdline(): the command line the domain was started with, as the
 * hypervisor passed it in hvm_start_info; "" when there is none. Never NULL.
 */
const char *pvguest_cmdline(void);

/*
 * pvguest_cmdline_get(key, buf, len): copies the value of the first
 * "key=value" word of the command line into (buf), at most (len) bytes
 * NUL included. A word "key" without '=' has the value "".
 * Returns the value's length, -XEN_ENOENT when (key) is absent, or
 * -XEN_ENOSPC when the value does not fit (buf then holds a truncated,
 * NUL-terminated copy).
 */
int pvguest_cmdline_get(const char *key, char *buf, size_t len);

/*
 * pvguest_memmap(n): the memory map from hvm_start_info; stores the number
 * of entries in (*n). Returns NULL with *n = 0 when there is none.
 */
const struct hvm_memmap_table_entry *pvguest_memmap(unsigned int *n);

/*
 * pvguest_rsdp(): the guest-physical address of the ACPI RSDP from
 * hvm_start_info (pvabi/acpi.h), or 0 when the hypervisor gave none.
 */
uint64_t pvguest_rsdp(void);

/*
 * pvguest_modules(n): the boot modules from hvm_start_info (module 0 is
 * the domain's initrd); stores their number in (*n). Returns NULL with
 * *n = 0 when there are none.
 */
const struct hvm_modlist_entry *pvguest_modules(unsigned int *n);

/*
 * pvguest_domid(): this domain's id (CPUID leaf +4), or DOMID_SELF when
 * the hypervisor does not report it.
 */
uint16_t pvguest_domid(void);

/*
 * exit(code): ends the domain. (code) 0 shuts down with SHUTDOWN_poweroff;
 * anything else prints "pvguest: exit(N)" and shuts down with
 * SHUTDOWN_crash. Never returns.
 */
void exit(int code) __attribute__((noreturn));

/* poweroff(): ends the domain with SHUTDOWN_poweroff. Never returns. */
void poweroff(void) __attribute__((noreturn));

/*
 * shutdown_ignore(): stops hearing the toolstack's control/shutdown
 * requests (watched from boot on); a guest that ends itself its own way
 * calls it. The toolstack then refuses to ask it. Returns 0 or -errno.
 */
int shutdown_ignore(void);

/*
 * crash(why): prints "pvguest: crash: <why>" and ends the domain with
 * SHUTDOWN_crash. Never returns.
 */
void crash(const char *why) __attribute__((noreturn));

#endif /* PVGUEST_PVGUEST_H */
