#!/bin/sh
# SPDX-License-Identifier: MIT
# check-linux.sh: boots Debian 12's own kernel as a PVH domain with a
# blkfront disk (`make check-linux`; not part of `make check`: 10-40
# minutes under a software KVM's emulation). Downloads the kernel package
# with apt (apt-get download: no root needed), extracts the ELF vmlinux
# from its vmlinuz, packs a tiny initramfs (a static /init that prints a
# line, loads xen-blkfront, reports xvda's size and powers off), and runs
# it with pvctl. Skips (77), saying why, where the host cannot pass VMCALL
# hypercalls: every Debian 12 kernel since 6.1.121 issues them directly.
# Environment: LINUX_WORK (default: tests/linux/work in the build tree,
# kept between runs), LINUX_PACKAGE (default: what linux-image-amd64
# depends on), LINUX_TIMEOUT (seconds, default 2400).
set -u
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

W=${LINUX_WORK:-$top_builddir/tests/linux/work}
T=${LINUX_TIMEOUT:-2400}
S="$top_srcdir/tests/linux"
mkdir -p "$W" || fail "cannot make $W"

# The host's answer first (a guest that needs no VMCALL): it decides.
h=$(domain_xml hello "$top_builddir/examples/hello/hello.elf" 4096)
run_pvctl run -q --stats "$h"
expect_rc 0
no="this host's KVM cannot pass VMCALL hypercalls to pvhv; kernels without a hypercall page (Linux >= 6.1.121) cannot run here"
vmcall=yes
grep -qF "pvctl: stats: host: $no" "$TMP/err" && vmcall=no

# 1. The kernel package, unpacked.
pkg=${LINUX_PACKAGE:-$(apt-cache depends linux-image-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ { print $2; exit }')}
[ -n "$pkg" ] || skip "apt knows no linux-image-amd64 (not Debian, or no package lists)"
deb=$(ls "$W"/"$pkg"_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
    (cd "$W" && apt-get download "$pkg") >"$W/apt.log" 2>&1 ||
        skip "apt-get download $pkg failed (no network?): $(tail -n 1 "$W/apt.log")"
    deb=$(ls "$W"/"$pkg"_*.deb | head -n 1)
fi
rm -rf "$W/root" && mkdir -p "$W/root" && dpkg-deb -x "$deb" "$W/root" ||
    fail "dpkg-deb -x $deb failed"
vmlinuz=$(ls "$W"/root/boot/vmlinuz-* | head -n 1)
ko=$(find "$W/root/lib/modules" -name 'xen-blkfront.ko*' | head -n 1)
[ -n "$ko" ] || fail "$deb holds no xen-blkfront module"

# 2. vmlinux out of vmlinuz.
sh "$S/extract-vmlinux.sh" "$vmlinuz" "$W/vmlinux" || fail "no vmlinux in $vmlinuz"

# 3. The initramfs: /init and the blkfront module, packed with cpio.
CPIO=$(command -v cpio || true)
if [ -z "$CPIO" ]; then
    [ -x "$W/cpio/bin/cpio" ] || {
        { ls "$W"/cpio_*.deb >/dev/null 2>&1 ||
            (cd "$W" && apt-get download cpio) >>"$W/apt.log" 2>&1; } &&
            dpkg-deb -x "$(ls "$W"/cpio_*.deb | head -n 1)" "$W/cpio"
    } || skip "no cpio, and apt-get download cpio failed"
    CPIO="$W/cpio/bin/cpio"
fi
rm -rf "$W/initramfs" && mkdir -p "$W/initramfs" || fail "cannot make the initramfs folder"
${CC:-cc} -static -O2 -o "$W/initramfs/init" "$S/init.c" ||
    skip "cannot link a static /init (no libc.a: install libc6-dev)"
case "$ko" in
*.xz) xz -dc "$ko" >"$W/initramfs/xen-blkfront.ko" ;;
*.zst) zstd -dc "$ko" >"$W/initramfs/xen-blkfront.ko" ;;
*) cp "$ko" "$W/initramfs/xen-blkfront.ko" ;;
esac
(cd "$W/initramfs" && find . | "$CPIO" -o -H newc --quiet) >"$W/initrd.cpio" ||
    fail "cpio failed"
echo "check-linux: $pkg, vmlinux $(wc -c <"$W/vmlinux") bytes, initramfs $(wc -c <"$W/initrd.cpio") bytes"

[ "$vmcall" = yes ] || skip "$no"

# 4. Boot it with a disk.
truncate -s 64M "$W/disk.img"
cat >"$W/linux.xml" <<XML
<domain type='xen'>
  <name>debian-linux</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='xenpvh'>xenpvh</type>
    <kernel>$W/vmlinux</kernel>
    <initrd>$W/initrd.cpio</initrd>
    <cmdline>console=hvc0 nolapic rdinit=/init panic=-1</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <source file='$W/disk.img'/>
      <target dev='xvda' bus='xen'/>
    </disk>
  </devices>
</domain>
XML
start=$(date +%s)
rc=0
timeout "$T" "$PVCTL" run "$W/linux.xml" >"$W/console.log" 2>"$W/pvctl.log" || rc=$?
echo "check-linux: pvctl exited $rc after $(($(date +%s) - start)) s; console in $W/console.log"
grep -qF "pvhv-check-linux: /init runs" "$W/console.log" ||
    fail "/init did not run: $(tail -n 20 "$W/console.log") $(tail -n 5 "$W/pvctl.log")"
grep -qF "pvhv-check-linux: xvda: 131072 sectors" "$W/console.log" ||
    fail "blkfront found no 64 MiB xvda: $(grep pvhv-check-linux "$W/console.log")"
[ "$rc" -eq 0 ] || fail "pvctl exited $rc, expected 0 (poweroff): $(tail -n 5 "$W/pvctl.log")"
exit 0
