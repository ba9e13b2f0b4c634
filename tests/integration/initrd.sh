#!/bin/sh
# SPDX-License-Identifier: MIT
# initrd.sh: <os><initrd> (libvirt's element) reaches the guest as module
# 0 of hvm_start_info, byte for byte; a missing file, or one too big for
# the domain's RAM, is refused naming the file.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"
# 100000 bytes of "pvhv-initrd\n" (12 bytes), cut mid-pattern.
rd="$TMP/initrd.img"
i=0
while [ $i -lt 8400 ]; do
    printf 'pvhv-initrd\n'
    i=$((i + 1))
done | head -c 100000 >"$rd"

with_initrd() { # NAME MEMORY_KIB INITRD CMDLINE
    cat >"$TMP/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='KiB'>$2</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='xenpvh'>xenpvh</type>
    <kernel>$G/initrd/initrd.elf</kernel>
    <initrd>$3</initrd>
    <cmdline>$4</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_crash>destroy</on_crash>
</domain>
XML
    echo "$TMP/$1.xml"
}

x=$(with_initrd initrd 4096 "$rd" "size=100000")
run_pvctl run -q "$x"
expect_rc 0
expect_out "ok: module 0: size -> 100000"
expect_out "ok: module 0 holds the initrd's 100000 bytes"
expect_out "ok: module 0 lies in a reserved memory map entry -> 1"
expect_out "SUCCESS"

# A missing file: refused before any domain is made, naming it.
x=$(with_initrd nofile 4096 "$TMP/absent.img" "")
run_pvctl run "$x"
expect_rc 2
expect_err "<initrd>: cannot read '$TMP/absent.img'"

# Bigger than the domain's RAM: refused by the hypervisor, naming it.
truncate -s 5M "$TMP/big.img"
x=$(with_initrd big 4096 "$TMP/big.img" "")
run_pvctl run "$x"
expect_rc 3
expect_err "initrd $TMP/big.img"
exit 0
