/* SPDX-License-Identifier: MIT */
/* abi_rows_ours.c: abi_items.h evaluated against pvhv's own ABI headers. */
#include "pvabi/cpuid.h"
#include "pvabi/elfnote.h"
#include "pvabi/errno.h"
#include "pvabi/event_channel.h"
#include "pvabi/grant_table.h"
#include "pvabi/hvm.h"
#include "pvabi/io/blkif.h"
#include "pvabi/io/console.h"
#include "pvabi/io/ring.h"
#include "pvabi/io/xenbus.h"
#include "pvabi/memory.h"
#include "pvabi/sched.h"
#include "pvabi/start_info.h"
#include "pvabi/vcpu.h"
#include "pvabi/version.h"
#include "pvabi/xen.h"

#include "abi_rows.h"

const struct abi_row abi_rows_ours[] = {
#include "abi_items.h"
};
const size_t abi_rows_ours_count =
    sizeof(abi_rows_ours) / sizeof(abi_rows_ours[0]);
