#!/bin/sh
# SPDX-License-Identifier: MIT
# linux_abi.sh: the answers a Linux PVH domU needs at boot (feature bits,
# runstate, the second pvclock, vm_assist) and its grant frames above
# 4 GiB used by a block device; the image then holds what it wrote.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"
img="$TMP/disk.img"
truncate -s 1M "$img"
x=$(domain_xml linux_abi "$G/linux_abi/linux_abi.elf" 8192 "" destroy \
    "<devices>$(disk_of "$img")</devices>")
run_pvctl run -q "$x"
expect_rc 0
expect_out "SUCCESS"
! grep -F "ABORT" "$TMP/out" || fail "linux_abi aborted"
expect_out "ok: XENFEAT_hvm_callback_vector -> 1"
expect_out "ok: vm_assist(enable, writable_pagetables) (PV only) -> -22"
expect_out "ok: register_runstate_memory_area(unmapped address) -> -14"
expect_out "ok: get_runstate_info(unmapped address) -> -14"
expect_out "ok: get_runstate_info(vcpu 99) -> -2"
expect_out "ok: get_runstate_info: sums to now"
expect_out "ok: vcpu_op(VCPUOP_stop_periodic_timer) -> 0"
expect_out "ok: grant frames to 4 GiB + 2 MiB (not RAM) -> 0"
expect_out "ok: 64 sectors written and read with grant frames above 4 GiB"
# Every 8-byte word of sector s is "blkr" << 32 | s.
od -An -v -tx4 -w8 -N 8 "$img" | grep -q "00000000 626c6b72" ||
    fail "sector 0 of the image does not hold the pattern"
od -An -v -tx4 -w8 -j $((63 * 512)) -N 8 "$img" | grep -q "0000003f 626c6b72" ||
    fail "sector 63 of the image does not hold the pattern"
exit 0
