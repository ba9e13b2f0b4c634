#!/bin/sh
# SPDX-License-Identifier: MIT
# extract-vmlinux.sh VMLINUZ OUT: writes to OUT the ELF vmlinux inside a
# distribution's compressed kernel (bzImage): finds each compressed
# payload's magic number (zstd, xz, gzip, lz4, bzip2, lzma), decompresses
# from there with the matching tool, and keeps the first result that is
# an ELF file. Tools: zstd, xz-utils, gzip, lz4, bzip2 (Debian packages).
set -u
in=$1
out=$2
[ -r "$in" ] || { echo "extract-vmlinux: cannot read '$in'" >&2; exit 2; }
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT

is_elf() {
    [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = "7f454c46" ]
}

# try MAGIC_HEX TOOL...: each offset where the magic is, decompressed.
try() {
    magic=$1
    shift
    command -v "$1" >/dev/null 2>&1 || return 1
    # Offsets of the magic (grep -b on the binary, as bytes).
    for off in $(LC_ALL=C grep -obUaP "$magic" "$in" 2>/dev/null |
                 cut -d: -f1 | head -n 16); do
        tail -c +$((off + 1)) "$in" | "$@" >"$tmp" 2>/dev/null
        if [ -s "$tmp" ] && is_elf "$tmp"; then
            mv "$tmp" "$out"
            echo "extract-vmlinux: $1 payload at offset $off: $(wc -c <"$out") bytes"
            return 0
        fi
    done
    return 1
}

if is_elf "$in"; then
    cp "$in" "$out" && echo "extract-vmlinux: '$in' is already an ELF file"
    exit $?
fi
try '\x28\xb5\x2f\xfd' zstd -dc ||
    try '\xfd\x37\x7a\x58\x5a\x00' xz -dc ||
    try '\x1f\x8b\x08' gzip -dc ||
    try '\x02\x21\x4c\x18' lz4 -dc ||
    try 'BZh' bzip2 -dc ||
    try '\x5d\x00\x00\x00' xz --format=lzma -dc || {
    echo "extract-vmlinux: no compressed ELF payload found in '$in'" >&2
    exit 1
}
