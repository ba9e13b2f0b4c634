/* SPDX-License-Identifier: MIT */
/* abi_rows_xen.c: abi_items.h evaluated against Xen's headers (libxen-dev). */

/* The latest interface the installed headers describe, as Xen tools see it. */
#define __XEN_TOOLS__ 1

#include <stdint.h>
#include <xen/xen.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/io/blkif.h>
#include <xen/io/console.h>
#include <xen/io/ring.h>
#include <xen/io/xenbus.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>

#include "abi_rows.h"

/* Rows Xen's headers may lack are absent on this side (see abi_items.h). */
#undef ABI_CONST_OPT
#define ABI_CONST_OPT(name)

const struct abi_row abi_rows_xen[] = {
#include "abi_items.h"
};
const size_t abi_rows_xen_count =
    sizeof(abi_rows_xen) / sizeof(abi_rows_xen[0]);
