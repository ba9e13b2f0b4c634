/* SPDX-License-Identifier: MIT */
/* loader.c: PVH kernel images: check the ELF, load it, build the boot state. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/error.h"
#include "pvabi/elfnote.h"
#include "pvabi/pvhv.h"
#include "pvabi/start_info.h"
#include "core/loader.h"

/*
 * The ELF header and table entries as the loader needs them, whichever
 * the class. x86 hosts are little-endian, like every image accepted, so
 * fields are read in place after a bounds check.
 */
struct elf_file {
    const char *path;
    const uint8_t *buf;
    size_t len;
    bool is64;
    uint16_t machine, type;
    uint64_t phoff, shoff;
    uint16_t phentsize, phnum, shentsize, shnum;
    uint64_t e_entry;
};

struct elf_phdr {
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz, align;
};

static int fail(struct pvhv_error *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct pvhv_error *err, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pvhv_error_vset(err, fmt, ap);
    va_end(ap);
    return rc;
}

/* format_size: "4 MiB", "6 GiB", "100 KiB", "4097 bytes". */
static const char *format_size(uint64_t n, char *buf, size_t size)
{
    if (n && n % (1ULL << 30) == 0)
        snprintf(buf, size, "%" PRIu64 " GiB", n >> 30);
    else if (n && n % (1ULL << 20) == 0)
        snprintf(buf, size, "%" PRIu64 " MiB", n >> 20);
    else if (n && n % 1024 == 0)
        snprintf(buf, size, "%" PRIu64 " KiB", n >> 10);
    else
        snprintf(buf, size, "%" PRIu64 " bytes", n);
    return buf;
}

/* in_file: [off, off + size) lies inside the file (overflow-safe). */
static bool in_file(const struct elf_file *f, uint64_t off, uint64_t size)
{
    uint64_t end;

    return !__builtin_add_overflow(off, size, &end) && end <= f->len;
}

static int truncated(const struct elf_file *f, struct pvhv_error *err,
                     const char *what, uint64_t off, uint64_t size)
{
    uint64_t end = off + size;

    if (end < off)
        return fail(err, -ENOEXEC,
                    "%s: %s at offset 0x%" PRIx64 " with size 0x%" PRIx64
                    " wraps around",
                    f->path, what, off, size);
    return fail(err, -ENOEXEC,
                "%s: file truncated: %s [0x%" PRIx64 "-0x%" PRIx64
                ") beyond end of file (%zu bytes)",
                f->path, what, off, end, f->len);
}

/* read_ident: magic, class and byte order, before anything is trusted. */
static int read_ident(struct elf_file *f, struct pvhv_error *err)
{
    const uint8_t *id = f->buf;

    if (f->len < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
        return fail(err, -ENOEXEC, "%s: not an ELF file (no \\177ELF magic)",
                    f->path);
    if (f->len < EI_NIDENT)
        return truncated(f, err, "ELF identification", 0, EI_NIDENT);
    if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64)
        return fail(
            err, -ENOEXEC,
            "%s: ELF class %u is not supported (ELFCLASS32 or ELFCLASS64)",
            f->path, id[EI_CLASS]);
    if (id[EI_DATA] != ELFDATA2LSB)
        return fail(
            err, -ENOEXEC,
            "%s: ELF data encoding %u is not little-endian (ELFDATA2LSB): not an x86 image",
            f->path, id[EI_DATA]);
    f->is64 = id[EI_CLASS] == ELFCLASS64;
    return 0;
}

static int read_ehdr(struct elf_file *f, struct pvhv_error *err)
{
    Elf64_Ehdr e64;
    Elf32_Ehdr e32;
    size_t size = f->is64 ? sizeof(e64) : sizeof(e32);

    if (!in_file(f, 0, size))
        return truncated(f, err, "ELF header", 0, size);
    if (f->is64) {
        memcpy(&e64, f->buf, sizeof(e64));
        f->machine = e64.e_machine, f->type = e64.e_type;
        f->phoff = e64.e_phoff, f->shoff = e64.e_shoff;
        f->e_entry = e64.e_entry;
        f->phentsize = e64.e_phentsize, f->phnum = e64.e_phnum;
        f->shentsize = e64.e_shentsize, f->shnum = e64.e_shnum;
    } else {
        memcpy(&e32, f->buf, sizeof(e32));
        f->machine = e32.e_machine, f->type = e32.e_type;
        f->phoff = e32.e_phoff, f->shoff = e32.e_shoff;
        f->e_entry = e32.e_entry;
        f->phentsize = e32.e_phentsize, f->phnum = e32.e_phnum;
        f->shentsize = e32.e_shentsize, f->shnum = e32.e_shnum;
    }
    return 0;
}

/* check_ehdr: machine, type and the program header table's place. */
static int check_ehdr(const struct elf_file *f, struct pvhv_error *err)
{
    uint16_t entsize = f->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);

    /* Either machine in either class: an ELF32 file may carry 64-bit code. */
    if (f->machine != EM_386 && f->machine != EM_X86_64)
        return fail(err, -ENOEXEC,
                    "%s: ELF machine %u is not x86 (EM_386 or EM_X86_64)",
                    f->path, f->machine);
    if (f->type != ET_EXEC && f->type != ET_DYN)
        return fail(err, -ENOEXEC,
                    "%s: ELF type %u is not an executable (ET_EXEC or ET_DYN)",
                    f->path, f->type);
    if (f->phnum == 0)
        return fail(err, -ENOEXEC, "%s: no program headers", f->path);
    if (f->phentsize != entsize)
        return fail(err, -ENOEXEC, "%s: program header size %u, expected %u",
                    f->path, f->phentsize, entsize);
    if (!in_file(f, f->phoff, (uint64_t)f->phnum * entsize))
        return truncated(f, err, "program header table", f->phoff,
                         (uint64_t)f->phnum * entsize);
    return 0;
}

static void read_phdr(const struct elf_file *f, unsigned int i,
                      struct elf_phdr *ph)
{
    Elf64_Phdr p64;
    Elf32_Phdr p32;

    if (f->is64) {
        memcpy(&p64, f->buf + f->phoff + (uint64_t)i * sizeof(p64),
               sizeof(p64));
        *ph = (struct elf_phdr){p64.p_type,   p64.p_offset, p64.p_paddr,
                                p64.p_filesz, p64.p_memsz,  p64.p_align};
    } else {
        memcpy(&p32, f->buf + f->phoff + (uint64_t)i * sizeof(p32),
               sizeof(p32));
        *ph = (struct elf_phdr){p32.p_type,   p32.p_offset, p32.p_paddr,
                                p32.p_filesz, p32.p_memsz,  p32.p_align};
    }
}

/* check_segment: program header (i), a PT_LOAD, against file and RAM. */
static int check_segment(const struct elf_file *f, unsigned int i,
                         const struct elf_phdr *ph, const struct guest_ram *ram,
                         struct pvhv_error *err)
{
    char what[32], size[32];
    uint64_t end;

    if (ph->filesz > ph->memsz)
        return fail(err, -ENOEXEC,
                    "%s: segment %u: file size 0x%" PRIx64
                    " exceeds memory size 0x%" PRIx64,
                    f->path, i, ph->filesz, ph->memsz);
    snprintf(what, sizeof(what), "segment %u", i);
    if (!in_file(f, ph->offset, ph->filesz))
        return truncated(f, err, what, ph->offset, ph->filesz);
    if (__builtin_add_overflow(ph->paddr, ph->memsz, &end))
        return fail(err, -E2BIG,
                    "%s: segment %u at 0x%" PRIx64 " with size 0x%" PRIx64
                    " wraps around the address space",
                    f->path, i, ph->paddr, ph->memsz);
    if (!guest_ram_ptr(ram, ph->paddr, ph->memsz))
        return fail(err, -E2BIG,
                    "%s: segment %u [0x%" PRIx64 "-0x%" PRIx64
                    ") does not fit in guest RAM (%s)",
                    f->path, i, ph->paddr, end,
                    format_size(ram->size, size, sizeof(size)));
    return 0;
}

static int add_segment(const struct elf_file *f, unsigned int i,
                       const struct elf_phdr *ph, struct elf_image *img,
                       struct pvhv_error *err)
{
    unsigned int n = img->nr_segments;

    if (n == LOADER_MAX_SEGMENTS)
        return fail(err, -EINVAL,
                    "%s: more than %u PT_LOAD segments (program header %u)",
                    f->path, LOADER_MAX_SEGMENTS, i);
    img->seg[n].offset = ph->offset;
    img->seg[n].filesz = ph->filesz;
    img->seg[n].paddr = ph->paddr;
    img->seg[n].memsz = ph->memsz;
    if (n == 0 || ph->paddr < img->lowest)
        img->lowest = ph->paddr;
    if (n == 0 || ph->paddr + ph->memsz > img->highest)
        img->highest = ph->paddr + ph->memsz;
    img->nr_segments = n + 1;
    return 0;
}

/* collect_segments: every non-empty PT_LOAD, checked, into (img). */
static int collect_segments(const struct elf_file *f,
                            const struct guest_ram *ram, struct elf_image *img,
                            struct pvhv_error *err)
{
    struct elf_phdr ph;
    unsigned int i;
    int rc;

    for (i = 0; i < f->phnum; i++) {
        read_phdr(f, i, &ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        rc = check_segment(f, i, &ph, ram, err);
        if (!rc)
            rc = add_segment(f, i, &ph, img, err);
        if (rc)
            return rc;
    }
    if (img->nr_segments == 0)
        return fail(err, -ENOEXEC, "%s: no PT_LOAD segment to load", f->path);
    return 0;
}

/* What the note search found. */
struct entry_note {
    bool found;
    uint64_t entry;
    bool linux_os; /* a GUEST_OS note "linux" was seen (any order) */
};

/* note_entry: reads a PHYS32_ENTRY descriptor of 4 or 8 bytes. */
static int note_entry(const struct elf_file *f, const uint8_t *desc,
                      uint32_t descsz, struct entry_note *en,
                      struct pvhv_error *err)
{
    uint32_t e32;

    if (descsz == 4) {
        memcpy(&e32, desc, 4);
        en->entry = e32;
    } else if (descsz == 8) {
        memcpy(&en->entry, desc, 8);
    } else {
        return fail(
            err, -ENOEXEC,
            "%s: XEN_ELFNOTE_PHYS32_ENTRY note has a %u-byte descriptor (4 or 8 expected)",
            f->path, descsz);
    }
    en->found = true;
    return 0;
}

#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))

/*
 * scan_notes: walks the notes in file range [off, off + size), already
 * checked to be inside the file, with entries aligned to (align) 4 or 8.
 * The first PHYS32_ENTRY note wins.
 */
static int scan_notes(const struct elf_file *f, uint64_t off, uint64_t size,
                      uint64_t align, struct entry_note *en,
                      struct pvhv_error *err)
{
    uint64_t pos = 0, name_at, desc_at, next;
    uint32_t hdr[3]; /* namesz, descsz, type */

    /* The whole area: GUEST_OS may follow the entry note. */
    while (pos <= size && size - pos >= sizeof(hdr)) {
        memcpy(hdr, f->buf + off + pos, sizeof(hdr));
        name_at = pos + sizeof(hdr);
        desc_at = name_at + ALIGN_UP((uint64_t)hdr[0], align);
        next = desc_at + ALIGN_UP((uint64_t)hdr[1], align);
        /* 32-bit sizes in 64-bit sums: these cannot wrap, only overrun. */
        if (desc_at + hdr[1] > size && en->found)
            return 0; /* past the entry note: only GUEST_OS was sought */
        if (desc_at + hdr[1] > size)
            return fail(err, -ENOEXEC,
                        "%s: note at offset 0x%" PRIx64
                        " runs beyond the end of its note area [0x%" PRIx64
                        "-0x%" PRIx64 ")",
                        f->path, off + pos, off, off + size);
        if (hdr[0] == sizeof(XEN_ELFNOTE_OWNER) &&
            memcmp(f->buf + off + name_at, XEN_ELFNOTE_OWNER,
                   sizeof(XEN_ELFNOTE_OWNER)) == 0) {
            if (hdr[2] == XEN_ELFNOTE_GUEST_OS && hdr[1] >= 5 &&
                memcmp(f->buf + off + desc_at, "linux", 5) == 0)
                en->linux_os = true;
            if (hdr[2] == XEN_ELFNOTE_PHYS32_ENTRY && !en->found) {
                int rc = note_entry(f, f->buf + off + desc_at, hdr[1], en, err);

                if (rc)
                    return rc;
            }
        }
        pos = next;
    }
    return 0;
}

/* notes_from_phdrs: searches PT_NOTE segments; (*seen) says if any exist. */
static int notes_from_phdrs(const struct elf_file *f, struct entry_note *en,
                            bool *seen, struct pvhv_error *err)
{
    struct elf_phdr ph;
    unsigned int i;
    int rc;

    *seen = false;
    for (i = 0; i < f->phnum && !en->found; i++) {
        read_phdr(f, i, &ph);
        if (ph.type != PT_NOTE)
            continue;
        *seen = true;
        if (!in_file(f, ph.offset, ph.filesz))
            return truncated(f, err, "PT_NOTE segment", ph.offset, ph.filesz);
        rc =
            scan_notes(f, ph.offset, ph.filesz, ph.align == 8 ? 8 : 4, en, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* notes_from_sections: SHT_NOTE sections, for images without PT_NOTE. */
static int notes_from_sections(const struct elf_file *f, struct entry_note *en,
                               struct pvhv_error *err)
{
    uint16_t entsize = f->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
    uint64_t type, off, size, align;
    unsigned int i;
    int rc;

    if (f->shoff == 0 || f->shnum == 0)
        return 0;
    if (f->shentsize != entsize)
        return fail(err, -ENOEXEC, "%s: section header size %u, expected %u",
                    f->path, f->shentsize, entsize);
    if (!in_file(f, f->shoff, (uint64_t)f->shnum * entsize))
        return truncated(f, err, "section header table", f->shoff,
                         (uint64_t)f->shnum * entsize);
    for (i = 0; i < f->shnum && !en->found; i++) {
        const uint8_t *p = f->buf + f->shoff + (uint64_t)i * entsize;
        Elf64_Shdr s64;
        Elf32_Shdr s32;

        if (f->is64) {
            memcpy(&s64, p, sizeof(s64));
            type = s64.sh_type, off = s64.sh_offset, size = s64.sh_size;
            align = s64.sh_addralign;
        } else {
            memcpy(&s32, p, sizeof(s32));
            type = s32.sh_type, off = s32.sh_offset, size = s32.sh_size;
            align = s32.sh_addralign;
        }
        if (type != SHT_NOTE)
            continue;
        if (!in_file(f, off, size))
            return truncated(f, err, "SHT_NOTE section", off, size);
        rc = scan_notes(f, off, size, align == 8 ? 8 : 4, en, err);
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * find_entry: the PHYS32_ENTRY note, which must point into a segment; for
 * a Multiboot kernel (multiboot) the ELF header's e_entry instead.
 */
static int find_entry(const struct elf_file *f, struct elf_image *img,
                      bool multiboot, struct pvhv_error *err)
{
    struct entry_note en = {multiboot, f->e_entry, false};
    bool have_pt_note = true;
    unsigned int i;
    int rc = 0;

    if (!multiboot)
        rc = notes_from_phdrs(f, &en, &have_pt_note, err);
    if (!rc && !have_pt_note)
        rc = notes_from_sections(f, &en, err);
    if (rc)
        return rc;
    if (!en.found)
        return fail(err, -ENOEXEC,
                    "%s: no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel",
                    f->path);
    /* An entry outside every segment would run zeroed RAM. */
    for (i = 0; i < img->nr_segments; i++) {
        if (en.entry >= img->seg[i].paddr &&
            en.entry - img->seg[i].paddr < img->seg[i].memsz) {
            img->entry = en.entry;
            img->guest_os_linux = en.linux_os;
            return 0;
        }
    }
    return fail(
        err, -ENOEXEC,
        "%s: entry point 0x%" PRIx64 " (%s) lies outside every loaded segment",
        f->path, en.entry, multiboot ? "e_entry" : "XEN_ELFNOTE_PHYS32_ENTRY");
}

static int parse(const char *path, const uint8_t *buf, size_t len,
                 const struct guest_ram *ram, struct elf_image *img,
                 bool multiboot, struct pvhv_error *err)
{
    struct elf_file f = {
        .path = path ? path : "kernel", .buf = buf, .len = len};
    int rc;

    memset(img, 0, sizeof(*img));
    rc = read_ident(&f, err);
    if (!rc)
        rc = read_ehdr(&f, err);
    if (!rc)
        rc = check_ehdr(&f, err);
    if (!rc)
        rc = collect_segments(&f, ram, img, err);
    if (!rc)
        rc = find_entry(&f, img, multiboot, err);
    return rc;
}

int elf_parse(const char *path, const uint8_t *buf, size_t len,
              const struct guest_ram *ram, struct elf_image *img,
              struct pvhv_error *err)
{
    return parse(path, buf, len, ram, img, false, err);
}

int elf_parse_multiboot(const char *path, const uint8_t *buf, size_t len,
                        const struct guest_ram *ram, struct elf_image *img,
                        struct pvhv_error *err)
{
    return parse(path, buf, len, ram, img, true, err);
}

void elf_load(const struct elf_image *img, const uint8_t *buf,
              const struct guest_ram *ram)
{
    unsigned int i;

    for (i = 0; i < img->nr_segments; i++) {
        uint8_t *dst = guest_ram_ptr(ram, img->seg[i].paddr, img->seg[i].memsz);

        if (!dst) /* elf_parse checked it against this RAM */
            continue;
        memcpy(dst, buf + img->seg[i].offset, img->seg[i].filesz);
        memset(dst + img->seg[i].filesz, 0,
               img->seg[i].memsz - img->seg[i].filesz);
    }
}

/* The boot data at the start of the reserved region, in this order. */
#define BOOT_MEMMAP_MAX 5 /* RAM below, region, RAM above, window, high RAM */
#define BOOT_MEMMAP_OFF sizeof(struct hvm_start_info)
#define BOOT_MODLIST_OFF                                                       \
    (BOOT_MEMMAP_OFF + BOOT_MEMMAP_MAX * sizeof(struct hvm_memmap_table_entry))
#define BOOT_CMDLINE_OFF (BOOT_MODLIST_OFF + sizeof(struct hvm_modlist_entry))

static bool clear_of_image(const struct elf_image *img, uint64_t base,
                           uint64_t size)
{
    return base + size <= img->lowest || base >= img->highest;
}

/*
 * place_region: a page-aligned home for (size) bytes in low RAM (the start
 * info must sit below 4 GiB for %ebx), clear of the image. As Xen's domain
 * builder does, it goes just after the image, so that a kernel that maps
 * only the memory around itself early finds it there; failing that, at
 * the top of low RAM, then just below the image.
 */
static bool place_region(const struct elf_image *img,
                         const struct guest_ram *ram, uint64_t size,
                         uint64_t *base)
{
    uint64_t top = ram->low_size & ~(GUEST_PAGE_SIZE - 1);
    uint64_t after = ALIGN_UP(img->highest, GUEST_PAGE_SIZE);
    uint64_t below = img->lowest & ~(GUEST_PAGE_SIZE - 1);

    if (after <= top && size <= top - after) {
        *base = after;
        return true;
    }
    if (size <= top && clear_of_image(img, top - size, size)) {
        *base = top - size;
        return true;
    }
    if (size <= below && below <= top) {
        *base = below - size;
        return true;
    }
    return false;
}

static void add_range(struct hvm_memmap_table_entry *map, uint32_t *n,
                      uint64_t addr, uint64_t size, uint32_t type)
{
    if (size == 0)
        return;
    map[*n] = (struct hvm_memmap_table_entry){
        .addr = addr, .size = size, .type = type};
    (*n)++;
}

/* write_memmap: RAM minus the region, which is marked reserved, as is the
 * grant window (pvabi/pvhv.h), in address order. */
static uint32_t write_memmap(const struct guest_ram *ram, uint64_t base,
                             uint64_t size, struct hvm_memmap_table_entry *map)
{
    uint32_t n = 0;

    add_range(map, &n, 0, base, XEN_HVM_MEMMAP_TYPE_RAM);
    add_range(map, &n, base, size, XEN_HVM_MEMMAP_TYPE_RESERVED);
    add_range(map, &n, base + size, ram->low_size - (base + size),
              XEN_HVM_MEMMAP_TYPE_RAM);
    add_range(map, &n, PVHV_GRANT_WINDOW_BASE, PVHV_GRANT_WINDOW_SIZE,
              XEN_HVM_MEMMAP_TYPE_RESERVED);
    add_range(map, &n, GUEST_4G, ram->size - ram->low_size,
              XEN_HVM_MEMMAP_TYPE_RAM);
    return n;
}

static void write_boot_data(const struct guest_ram *ram, const char *cmdline,
                            size_t cmdlen, struct boot_layout *out)
{
    uint8_t *region = guest_ram_ptr(ram, out->base, out->size);
    struct hvm_memmap_table_entry map[BOOT_MEMMAP_MAX];
    struct hvm_start_info si;

    memset(region, 0, out->size);
    out->start_info = out->base;
    out->memmap = out->base + BOOT_MEMMAP_OFF;
    out->memmap_entries = write_memmap(ram, out->base, out->size, map);
    memcpy(region + BOOT_MEMMAP_OFF, map, sizeof(map[0]) * out->memmap_entries);
    out->cmdline = 0;
    if (cmdlen) {
        out->cmdline = out->base + BOOT_CMDLINE_OFF;
        memcpy(region + BOOT_CMDLINE_OFF, cmdline, cmdlen);
    }
    memset(&si, 0, sizeof(si));
    si.magic = XEN_HVM_START_MAGIC_VALUE;
    si.version = 1;
    si.cmdline_paddr = out->cmdline;
    si.memmap_paddr = out->memmap;
    si.memmap_entries = out->memmap_entries;
    if (out->module_size) {
        struct hvm_modlist_entry m = {.paddr = out->module,
                                      .size = out->module_size};

        si.nr_modules = 1;
        si.modlist_paddr = out->base + BOOT_MODLIST_OFF;
        memcpy(region + BOOT_MODLIST_OFF, &m, sizeof(m));
    }
    memcpy(region, &si, sizeof(si));
}

int boot_build(const struct elf_image *img, const struct guest_ram *ram,
               const char *cmdline, unsigned int extra_pages,
               struct boot_layout *out, struct pvhv_error *err)
{
    return boot_build_module(img, ram, cmdline, extra_pages, NULL, out, err);
}

int boot_build_module(const struct elf_image *img, const struct guest_ram *ram,
                      const char *cmdline, unsigned int extra_pages,
                      const struct boot_module *mod, struct boot_layout *out,
                      struct pvhv_error *err)
{
    size_t cmdlen = cmdline ? strlen(cmdline) : 0;
    uint64_t modlen = mod ? mod->len : 0;
    char ram_size[32];
    uint64_t size, data;

    /* The limit counts the NUL, which the region also holds. */
    if (cmdlen >= BOOT_CMDLINE_MAX)
        return fail(err, -E2BIG,
                    "command line is %zu bytes long; at most %d fit", cmdlen,
                    BOOT_CMDLINE_MAX - 1);
    memset(out, 0, sizeof(*out));
    if (modlen > ram->size)
        return fail(err, -ENOMEM,
                    "initrd %s: %" PRIu64 " bytes do not fit in guest RAM (%s)",
                    mod->name ? mod->name : "module", modlen,
                    format_size(ram->size, ram_size, sizeof(ram_size)));
    data = ALIGN_UP(BOOT_CMDLINE_OFF + cmdlen + 1, GUEST_PAGE_SIZE) +
           (uint64_t)extra_pages * GUEST_PAGE_SIZE;
    size = data + ALIGN_UP(modlen, GUEST_PAGE_SIZE);
    if (modlen && !place_region(img, ram, size, &out->base))
        return fail(
            err, -ENOMEM,
            "initrd %s: no room for its %" PRIu64
            " KiB with the boot data in guest RAM (%s) clear of the image [0x%" PRIx64
            "-0x%" PRIx64 ")",
            mod->name ? mod->name : "module", modlen >> 10,
            format_size(ram->size, ram_size, sizeof(ram_size)), img->lowest,
            img->highest);
    if (!place_region(img, ram, size, &out->base))
        return fail(
            err, -ENOMEM,
            "no room for %" PRIu64
            " KiB of boot data in guest RAM (%s) clear of the image [0x%" PRIx64
            "-0x%" PRIx64 ")",
            size >> 10, format_size(ram->size, ram_size, sizeof(ram_size)),
            img->lowest, img->highest);
    out->size = size;
    out->extra = out->base + data - (uint64_t)extra_pages * GUEST_PAGE_SIZE;
    if (modlen) {
        out->module = out->base + data;
        out->module_size = modlen;
    }
    write_boot_data(ram, cmdline, cmdlen, out);
    if (modlen)
        memcpy(guest_ram_ptr(ram, out->module, modlen), mod->data, modlen);
    return 0;
}
