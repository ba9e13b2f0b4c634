#!/bin/sh
# SPDX-License-Identifier: MIT
# hvm_domain.sh: an hvm domain (<os><type>hvm</type>) beside a PV one in
# one `pvctl run`: its guest finds no Xen CPUID leaves, a hypercall MSR
# that does nothing and no hypercall port (all ones, one warning), writes
# its console through the 16550 UART and powers off through
# isa-debug-exit; the PV domain runs as always. A Multiboot kernel boots
# in an hvm domain (and is refused as PV).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

HELLO="$top_builddir/examples/hello/hello.elf"
hello=$(domain_xml hello "$HELLO" 4096 greeting=beside)
probe=$(domain_xml probe "$GUESTS/hvm_probe/hvm_probe.elf" 4096)
sed -i "s|<type arch='x86_64' machine='xenpvh'>xenpvh</type>|<type arch='x86_64' machine='pc'>hvm</type>|" "$probe"
grep -q ">hvm<" "$probe" || fail "no hvm type in $probe"

run_pvctl run --stats "$hello" "$probe"
expect_rc 0
expect_err "domain 'probe' stats: "
expect_err " hypercalls=0 "
expect_err " markers=2 marker_first_us="
grep "domain 'hello' stats: " "$TMP/err" | grep -q markers= &&
    fail "the PV domain wrote no marker: $(cat "$TMP/err")"
expect_out "hello| cmdline: greeting=beside"
expect_err "hello (id 1): poweroff"
expect_out "probe| hvm_probe: COM1 up"
expect_out "probe| hvm_probe: hypercall MSR write did nothing"
expect_out "probe| hvm_probe: hypercall port reads ffffffff"
expect_out "probe| SUCCESS"
expect_err "probe (id 2): poweroff"
expect_err "pvhv: warning: d2: vCPU 0: read of 4 bytes at I/O port 0x9e: no device, read as all ones"
! grep -q "^pvhv: warning: d1: " "$TMP/err" ||
    fail "the PV domain was warned: $(cat "$TMP/err")"

# In native execution mode where the host has it (else emulated, said so).
run_pvctl run --stats --exec native "$probe"
expect_rc 0
expect_out "SUCCESS"
if grep -q "native execution unavailable on this host: " "$TMP/err"; then
    echo "native execution unavailable here; the hvm domain ran emulated"
else
    expect_err "exec=native"
fi

# A Multiboot kernel (no PVH note): %eax, memory, map and command line.
mb=$(domain_xml mb "$GUESTS/hvm_multiboot/hvm_multiboot.elf" 4096 "root=none quiet")
sed -i "s|<type arch='x86_64' machine='xenpvh'>xenpvh</type>|<type>hvm</type>|" "$mb"
run_pvctl run "$mb"
expect_rc 0
expect_out "hvm_multiboot: eax 2badb002"
expect_out "hvm_multiboot: mem_lower 640 KiB, mem_upper "
expect_out "hvm_multiboot: cmdline 'root=none quiet'"
expect_out "SUCCESS"
# The same kernel as a PV domain: no PVH note, refused by name.
mbpv=$(domain_xml mbpv "$GUESTS/hvm_multiboot/hvm_multiboot.elf" 4096)
run_pvctl run "$mbpv"
expect_rc 3
expect_err "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel"

# A non-zero isa-debug-exit status is a crash.
probe2=$(domain_xml probe2 "$GUESTS/hvm_probe/hvm_probe.elf" 4096 "echo=3 polls=50")
sed -i "s|<type arch='x86_64' machine='xenpvh'>xenpvh</type>|<type>hvm</type>|" "$probe2"
run_pvctl run "$probe2"
expect_rc 1
expect_out "ABORT: console input did not come"
expect_err "probe2 (id 1): crashed"
exit 0
