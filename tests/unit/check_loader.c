/* SPDX-License-Identifier: MIT */
/* check_loader.c: core/loader.c on ELF images built in memory. */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pvhv.h"
#include "pvabi/elfnote.h"
#include "pvabi/start_info.h"
#include "core/loader.h"
#include "pvabi/pvhv.h"

#define MiB (1ULL << 20)

/*
 * The synthetic image: ELF header at 0, program headers right after it
 * ([0] PT_NOTE unless the note lives in a section only, [1] PT_LOAD), the
 * note at NOTE_OFF, the segment's bytes at SEG_OFF, section headers
 * (null, .note) at SHDR_OFF.
 */
#define NOTE_OFF 0x100
#define SEG_OFF 0x200
#define SEG_FILESZ 0x100
#define SHDR_OFF 0x400
#define IMG_LEN (SHDR_OFF + 2 * sizeof(Elf64_Shdr))

enum note_place { NOTE_PHDR, NOTE_SECTION, NOTE_NONE };

struct spec {
    bool is64;
    uint16_t machine;
    uint64_t paddr, memsz, entry;
    enum note_place note;
    uint32_t descsz;
    const char *guest_os; /* a GUEST_OS note after the entry's, if set */
};

static uint8_t img_buf[IMG_LEN];
static struct guest_ram ram;
static struct pvhv_error err;

static struct spec default_spec(bool is64)
{
    return (struct spec){.is64 = is64,
                         .machine = EM_X86_64,
                         .paddr = 0x100000,
                         .memsz = 0x1000,
                         .entry = 0x100010,
                         .note = NOTE_PHDR,
                         .descsz = 4};
}

/* write_note: one PHYS32_ENTRY note at NOTE_OFF; returns its size. */
static uint64_t write_note(const struct spec *s)
{
    uint32_t hdr[3] = {4, s->descsz, XEN_ELFNOTE_PHYS32_ENTRY};

    memcpy(img_buf + NOTE_OFF, hdr, sizeof(hdr));
    memcpy(img_buf + NOTE_OFF + 12, "Xen", 4);
    memcpy(img_buf + NOTE_OFF + 16, &s->entry, s->descsz > 8 ? 8 : s->descsz);
    uint64_t len = 16 + ((s->descsz + 3) & ~3u);
    if (s->guest_os) {
        uint32_t os[3] = {4, (uint32_t)strlen(s->guest_os) + 1,
                          XEN_ELFNOTE_GUEST_OS};

        memcpy(img_buf + NOTE_OFF + len, os, sizeof(os));
        memcpy(img_buf + NOTE_OFF + len + 12, "Xen", 4);
        memcpy(img_buf + NOTE_OFF + len + 16, s->guest_os, os[1]);
        len += 16 + ((os[1] + 3) & ~3u);
    }
    return len;
}

static void build64(const struct spec *s, uint64_t notesz)
{
    Elf64_Ehdr *e = (Elf64_Ehdr *)img_buf;
    Elf64_Phdr *ph = (Elf64_Phdr *)(img_buf + sizeof(*e));
    Elf64_Shdr *sh = (Elf64_Shdr *)(img_buf + SHDR_OFF);

    e->e_ident[EI_CLASS] = ELFCLASS64;
    e->e_type = ET_EXEC, e->e_machine = s->machine, e->e_version = 1;
    e->e_phoff = sizeof(*e), e->e_phentsize = sizeof(*ph), e->e_phnum = 2;
    e->e_shoff = SHDR_OFF, e->e_shentsize = sizeof(*sh), e->e_shnum = 2;
    e->e_ehsize = sizeof(*e);
    ph[0] = (Elf64_Phdr){.p_type = s->note == NOTE_PHDR ? PT_NOTE : PT_NULL,
                         .p_offset = NOTE_OFF,
                         .p_filesz = notesz,
                         .p_align = 4};
    ph[1] = (Elf64_Phdr){.p_type = PT_LOAD,
                         .p_offset = SEG_OFF,
                         .p_vaddr = s->paddr,
                         .p_paddr = s->paddr,
                         .p_filesz = SEG_FILESZ,
                         .p_memsz = s->memsz};
    sh[1] =
        (Elf64_Shdr){.sh_type = s->note == NOTE_NONE ? SHT_PROGBITS : SHT_NOTE,
                     .sh_offset = NOTE_OFF,
                     .sh_size = notesz,
                     .sh_addralign = 4};
}

static void build32(const struct spec *s, uint64_t notesz)
{
    Elf32_Ehdr *e = (Elf32_Ehdr *)img_buf;
    Elf32_Phdr *ph = (Elf32_Phdr *)(img_buf + sizeof(*e));
    Elf32_Shdr *sh = (Elf32_Shdr *)(img_buf + SHDR_OFF);

    e->e_ident[EI_CLASS] = ELFCLASS32;
    e->e_type = ET_EXEC, e->e_machine = s->machine, e->e_version = 1;
    e->e_phoff = sizeof(*e), e->e_phentsize = sizeof(*ph), e->e_phnum = 2;
    e->e_shoff = SHDR_OFF, e->e_shentsize = sizeof(*sh), e->e_shnum = 2;
    e->e_ehsize = sizeof(*e);
    ph[0] = (Elf32_Phdr){.p_type = s->note == NOTE_PHDR ? PT_NOTE : PT_NULL,
                         .p_offset = NOTE_OFF,
                         .p_filesz = notesz,
                         .p_align = 4};
    ph[1] = (Elf32_Phdr){.p_type = PT_LOAD,
                         .p_offset = SEG_OFF,
                         .p_vaddr = s->paddr,
                         .p_paddr = s->paddr,
                         .p_filesz = SEG_FILESZ,
                         .p_memsz = s->memsz};
    sh[1] =
        (Elf32_Shdr){.sh_type = s->note == NOTE_NONE ? SHT_PROGBITS : SHT_NOTE,
                     .sh_offset = NOTE_OFF,
                     .sh_size = notesz,
                     .sh_addralign = 4};
}

static void build(const struct spec *s)
{
    uint64_t notesz;
    unsigned int i;

    memset(img_buf, 0, sizeof(img_buf));
    memcpy(img_buf, ELFMAG, SELFMAG);
    img_buf[EI_DATA] = ELFDATA2LSB;
    img_buf[EI_VERSION] = EV_CURRENT;
    notesz = write_note(s);
    for (i = 0; i < SEG_FILESZ; i++)
        img_buf[SEG_OFF + i] = (uint8_t)(i + 1);
    if (s->is64)
        build64(s, notesz);
    else
        build32(s, notesz);
}

static int parse(struct elf_image *img, size_t len)
{
    memset(&err, 0, sizeof(err));
    return elf_parse("hello.elf", img_buf, len, &ram, img, &err);
}

static void setup(void)
{
    ram.host = aligned_alloc(4096, 4 * MiB);
    ck_assert_ptr_nonnull(ram.host);
    memset(ram.host, 0xaa, 4 * MiB);
    ram.size = ram.low_size = 4 * MiB;
}

static void teardown(void)
{
    free(ram.host);
}

#define assert_fails(rc_expected, len, text)                                   \
    do {                                                                       \
        struct elf_image img_;                                                 \
        ck_assert_int_eq(parse(&img_, (len)), (rc_expected));                  \
        ck_assert_str_eq(err.msg, (text));                                     \
    } while (0)

static void check_valid(const struct spec *s)
{
    struct elf_image img;
    unsigned int i;

    build(s);
    ck_assert_int_eq(parse(&img, IMG_LEN), 0);
    ck_assert_uint_eq(img.entry, s->entry);
    ck_assert_uint_eq(img.nr_segments, 1);
    ck_assert_uint_eq(img.seg[0].offset, SEG_OFF);
    ck_assert_uint_eq(img.seg[0].filesz, SEG_FILESZ);
    ck_assert_uint_eq(img.seg[0].paddr, s->paddr);
    ck_assert_uint_eq(img.seg[0].memsz, s->memsz);
    ck_assert_uint_eq(img.lowest, s->paddr);
    ck_assert_uint_eq(img.highest, s->paddr + s->memsz);
    elf_load(&img, img_buf, &ram);
    for (i = 0; i < s->memsz; i++)
        ck_assert_uint_eq(ram.host[s->paddr + i],
                          i < SEG_FILESZ ? (uint8_t)(i + 1) : 0);
    ck_assert_uint_eq(ram.host[s->paddr + s->memsz], 0xaa);
}

START_TEST(test_valid_elf64)
{
    struct spec s = default_spec(true);

    check_valid(&s);
    s.descsz = 8;
    s.entry = 0x100ff0;
    check_valid(&s);
}
END_TEST

START_TEST(test_valid_elf32)
{
    struct spec s = default_spec(false);

    check_valid(&s); /* ELF32 carrying 64-bit code */
    s.machine = EM_386;
    check_valid(&s);
}
END_TEST

START_TEST(test_load_at_zero)
{
    struct spec s = default_spec(true);

    s.paddr = 0;
    s.entry = 0;
    check_valid(&s);
}
END_TEST

START_TEST(test_note_in_section_only)
{
    struct spec s = default_spec(false);

    s.note = NOTE_SECTION;
    check_valid(&s);
    s.is64 = true;
    check_valid(&s);
}
END_TEST

START_TEST(test_truncated)
{
    struct spec s = default_spec(true);

    build(&s);
    assert_fails(-ENOEXEC, 3, "hello.elf: not an ELF file (no \\177ELF magic)");
    assert_fails(
        -ENOEXEC, 30,
        "hello.elf: file truncated: ELF header [0x0-0x40) beyond end of file (30 bytes)");
    assert_fails(
        -ENOEXEC, 100,
        "hello.elf: file truncated: program header table [0x40-0xb0) beyond end of file (100 bytes)");
    assert_fails(
        -ENOEXEC, SEG_OFF + 0x10,
        "hello.elf: file truncated: segment 1 [0x200-0x300) beyond end of file (528 bytes)");
    s.is64 = false;
    build(&s);
    assert_fails(
        -ENOEXEC, 40,
        "hello.elf: file truncated: ELF header [0x0-0x34) beyond end of file (40 bytes)");
}
END_TEST

START_TEST(test_phdrs_beyond_eof)
{
    struct spec s = default_spec(true);

    build(&s);
    ((Elf64_Ehdr *)img_buf)->e_phoff = IMG_LEN - 0x40;
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: file truncated: program header table [0x440-0x4b0) beyond end of file (1152 bytes)");
    ((Elf64_Ehdr *)img_buf)->e_phoff = UINT64_MAX - 0x10;
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: program header table at offset 0xffffffffffffffef with size 0x70 wraps around");
}
END_TEST

START_TEST(test_segment_beyond_eof)
{
    struct spec s = default_spec(false);

    build(&s);
    ((Elf32_Phdr *)(img_buf + sizeof(Elf32_Ehdr)))[1].p_offset = 0x3f0;
    ((Elf32_Phdr *)(img_buf + sizeof(Elf32_Ehdr)))[1].p_memsz = 0x1000;
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: file truncated: segment 1 [0x3f0-0x4f0) beyond end of file (1152 bytes)");
    ((Elf32_Phdr *)(img_buf + sizeof(Elf32_Ehdr)))[1].p_offset = SEG_OFF;
    ((Elf32_Phdr *)(img_buf + sizeof(Elf32_Ehdr)))[1].p_memsz = 0x10;
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: segment 1: file size 0x100 exceeds memory size 0x10");
}
END_TEST

START_TEST(test_wrong_machine)
{
    struct spec s = default_spec(true);

    s.machine = 40; /* EM_ARM */
    build(&s);
    assert_fails(-ENOEXEC, IMG_LEN,
                 "hello.elf: ELF machine 40 is not x86 (EM_386 or EM_X86_64)");
}
END_TEST

START_TEST(test_bad_ident)
{
    struct spec s = default_spec(true);

    build(&s);
    img_buf[EI_DATA] = ELFDATA2MSB;
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: ELF data encoding 2 is not little-endian (ELFDATA2LSB): not an x86 image");
    img_buf[EI_DATA] = ELFDATA2LSB;
    img_buf[EI_CLASS] = 3;
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: ELF class 3 is not supported (ELFCLASS32 or ELFCLASS64)");
    img_buf[EI_CLASS] = ELFCLASS64;
    ((Elf64_Ehdr *)img_buf)->e_type = ET_REL;
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: ELF type 1 is not an executable (ET_EXEC or ET_DYN)");
}
END_TEST

START_TEST(test_segment_outside_ram)
{
    struct spec s = default_spec(true);

    s.memsz = 0x1000000;
    build(&s);
    assert_fails(
        -E2BIG, IMG_LEN,
        "hello.elf: segment 1 [0x100000-0x1100000) does not fit in guest RAM (4 MiB)");
    s.memsz = 0x1000;
    s.paddr = 0xfffffffffffff000ULL;
    s.entry = s.paddr;
    build(&s);
    assert_fails(
        -E2BIG, IMG_LEN,
        "hello.elf: segment 1 at 0xfffffffffffff000 with size 0x1000 wraps around the address space");
}
END_TEST

START_TEST(test_notes)
{
    struct spec s = default_spec(true);

    s.note = NOTE_NONE;
    build(&s);
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel");
    s.note = NOTE_PHDR;
    s.descsz = 2;
    build(&s);
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: XEN_ELFNOTE_PHYS32_ENTRY note has a 2-byte descriptor (4 or 8 expected)");
    s.descsz = 4;
    s.entry = 0x200000;
    build(&s);
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: entry point 0x200000 (XEN_ELFNOTE_PHYS32_ENTRY) lies outside every loaded segment");
    s.entry = 0x100010;
    build(&s);
    ((uint32_t *)(img_buf + NOTE_OFF))[1] = 0xfffffff0; /* descsz */
    assert_fails(
        -ENOEXEC, IMG_LEN,
        "hello.elf: note at offset 0x100 runs beyond the end of its note area [0x100-0x114)");
}
END_TEST

START_TEST(test_guest_os_note)
{
    struct spec s = default_spec(true);
    struct elf_image img;

    build(&s);
    ck_assert_int_eq(parse(&img, IMG_LEN), 0);
    ck_assert(!img.guest_os_linux);
    s.guest_os = "linux"; /* after the entry note: still seen */
    build(&s);
    ck_assert_int_eq(parse(&img, IMG_LEN), 0);
    ck_assert(img.guest_os_linux);
    ck_assert_uint_eq(img.entry, s.entry);
    s.guest_os = "Mini-OS";
    build(&s);
    ck_assert_int_eq(parse(&img, IMG_LEN), 0);
    ck_assert(!img.guest_os_linux);
}
END_TEST

/* boot_build tests: an image of (memsz) bytes at (paddr). */
static struct elf_image image_at(uint64_t paddr, uint64_t memsz)
{
    struct elf_image img = {.entry = paddr,
                            .nr_segments = 1,
                            .lowest = paddr,
                            .highest = paddr + memsz};

    img.seg[0].paddr = paddr;
    img.seg[0].memsz = memsz;
    return img;
}

static const struct hvm_memmap_table_entry *
memmap_of(const struct boot_layout *b)
{
    return (const void *)(ram.host + b->memmap);
}

static void assert_entry(const struct hvm_memmap_table_entry *e, uint64_t addr,
                         uint64_t size, uint32_t type)
{
    ck_assert_uint_eq(e->addr, addr);
    ck_assert_uint_eq(e->size, size);
    ck_assert_uint_eq(e->type, type);
    ck_assert_uint_eq(e->reserved, 0);
}

START_TEST(test_boot_after_image)
{
    /* As Xen's builder: the boot data follow the image, page-aligned. */
    struct elf_image img = image_at(0x100000, 0x4c00);
    const struct hvm_start_info *si;
    const struct hvm_memmap_table_entry *m;
    struct boot_layout b;

    ck_assert_int_eq(boot_build(&img, &ram, "console=hvc0", 2, &b, &err), 0);
    ck_assert_uint_eq(b.base, 0x105000);
    ck_assert_uint_eq(b.size, 3 * 4096);
    ck_assert_uint_eq(b.start_info, b.base);
    si = (const void *)(ram.host + b.start_info);
    ck_assert_uint_eq(si->magic, XEN_HVM_START_MAGIC_VALUE);
    ck_assert_uint_eq(si->version, 1);
    ck_assert_uint_eq(si->flags, 0);
    ck_assert_uint_eq(si->nr_modules, 0);
    ck_assert_uint_eq(si->rsdp_paddr, 0);
    ck_assert_uint_eq(si->memmap_paddr, b.memmap);
    ck_assert_uint_eq(si->memmap_entries, 4);
    ck_assert_uint_eq(si->cmdline_paddr, b.cmdline);
    ck_assert(b.cmdline > b.base && b.cmdline < b.base + 4096);
    ck_assert_str_eq((const char *)ram.host + b.cmdline, "console=hvc0");
    ck_assert(b.memmap > b.base && b.memmap < b.base + 4096);
    ck_assert_uint_eq(b.memmap_entries, 4);
    m = memmap_of(&b);
    assert_entry(&m[0], 0, b.base, XEN_HVM_MEMMAP_TYPE_RAM);
    assert_entry(&m[1], b.base, 3 * 4096, XEN_HVM_MEMMAP_TYPE_RESERVED);
    assert_entry(&m[2], b.base + 3 * 4096, 4 * MiB - (b.base + 3 * 4096),
                 XEN_HVM_MEMMAP_TYPE_RAM);
    assert_entry(&m[3], PVHV_GRANT_WINDOW_BASE, PVHV_GRANT_WINDOW_SIZE,
                 XEN_HVM_MEMMAP_TYPE_RESERVED);
    /* The extra pages are zeroed. */
    ck_assert_uint_eq(ram.host[b.base + 2 * 4096], 0);
    ck_assert_uint_eq(ram.host[b.base + 3 * 4096 - 1], 0);
}
END_TEST

START_TEST(test_boot_module)
{
    /* The initrd: after the boot data and extra pages, module 0. */
    struct elf_image img = image_at(0x100000, 0x4c00);
    static uint8_t initrd[5000];
    struct boot_module mod = {initrd, sizeof(initrd), "initrd.cpio"};
    const struct hvm_start_info *si;
    const struct hvm_modlist_entry *me;
    const struct hvm_memmap_table_entry *m;
    struct boot_layout b;

    for (unsigned int i = 0; i < sizeof(initrd); i++)
        initrd[i] = (uint8_t)(i * 7 + 1);
    ck_assert_int_eq(
        boot_build_module(&img, &ram, "rdinit=/init", 2, &mod, &b, &err), 0);
    ck_assert_uint_eq(b.base, 0x105000);
    ck_assert_uint_eq(b.extra, b.base + 4096);
    ck_assert_uint_eq(b.module, b.base + 3 * 4096);
    ck_assert_uint_eq(b.module_size, sizeof(initrd));
    ck_assert_uint_eq(b.size, 5 * 4096); /* boot data, 2 extra, 2 module */
    si = (const void *)(ram.host + b.start_info);
    ck_assert_uint_eq(si->nr_modules, 1);
    ck_assert(si->modlist_paddr > b.base && si->modlist_paddr < b.base + 4096);
    me = (const void *)(ram.host + si->modlist_paddr);
    ck_assert_uint_eq(me->paddr, b.module);
    ck_assert_uint_eq(me->size, sizeof(initrd));
    ck_assert_uint_eq(me->cmdline_paddr, 0);
    ck_assert(memcmp(ram.host + b.module, initrd, sizeof(initrd)) == 0);
    ck_assert_str_eq((const char *)ram.host + b.cmdline, "rdinit=/init");
    /* Reserved with the rest of the region. */
    m = memmap_of(&b);
    assert_entry(&m[1], b.base, 5 * 4096, XEN_HVM_MEMMAP_TYPE_RESERVED);
    /* Too big for RAM, or no room clear of the image: the file's name. */
    mod.len = 8 * MiB;
    ck_assert_int_eq(boot_build_module(&img, &ram, NULL, 2, &mod, &b, &err),
                     -ENOMEM);
    ck_assert_msg(strstr(err.msg, "initrd initrd.cpio: 8388608 bytes do not "
                                  "fit in guest RAM"),
                  "%s", err.msg);
    mod.len = 4 * MiB - 0x10000;
    ck_assert_int_eq(boot_build_module(&img, &ram, NULL, 2, &mod, &b, &err),
                     -ENOMEM);
    ck_assert_msg(strstr(err.msg, "initrd initrd.cpio: no room"), "%s",
                  err.msg);
    /* An empty module is none. */
    mod.len = 0;
    ck_assert_int_eq(boot_build_module(&img, &ram, NULL, 2, &mod, &b, &err), 0);
    si = (const void *)(ram.host + b.start_info);
    ck_assert_uint_eq(si->nr_modules, 0);
}
END_TEST

START_TEST(test_boot_below_image)
{
    /* The image fills low RAM from 2 MiB to the top: room only below it. */
    struct elf_image img = image_at(0x200000, 0x200000);
    const struct hvm_memmap_table_entry *m;
    struct boot_layout b;

    ck_assert_int_eq(boot_build(&img, &ram, NULL, 0, &b, &err), 0);
    ck_assert_uint_eq(b.base, 0x1ff000);
    ck_assert_uint_eq(b.size, 4096);
    ck_assert_uint_eq(b.cmdline, 0);
    ck_assert_uint_eq(b.memmap_entries, 4);
    m = memmap_of(&b);
    assert_entry(&m[0], 0, 0x1ff000, XEN_HVM_MEMMAP_TYPE_RAM);
    assert_entry(&m[1], 0x1ff000, 0x1000, XEN_HVM_MEMMAP_TYPE_RESERVED);
    assert_entry(&m[2], 0x200000, 0x200000, XEN_HVM_MEMMAP_TYPE_RAM);
    assert_entry(&m[3], PVHV_GRANT_WINDOW_BASE, PVHV_GRANT_WINDOW_SIZE,
                 XEN_HVM_MEMMAP_TYPE_RESERVED);
}
END_TEST

START_TEST(test_boot_no_room)
{
    /* The image leaves half a page at the top: one page is needed. */
    struct elf_image img = image_at(0, 4 * MiB - 0x800);
    const struct hvm_memmap_table_entry *m;
    struct boot_layout b;

    ck_assert_int_eq(boot_build(&img, &ram, "", 0, &b, &err), -ENOMEM);
    ck_assert_str_eq(
        err.msg,
        "no room for 4 KiB of boot data in guest RAM (4 MiB) clear of the image [0x0-0x3ff800)");
    /* Ending exactly where the region starts is clear of it. */
    img = image_at(0, 4 * MiB - 0x2000);
    ck_assert_int_eq(boot_build(&img, &ram, "", 1, &b, &err), 0);
    ck_assert_uint_eq(b.base, 4 * MiB - 0x2000);
    ck_assert_uint_eq(b.size, 0x2000);
    ck_assert_uint_eq(b.cmdline, 0);
    m = memmap_of(&b);
    ck_assert_uint_eq(b.memmap_entries, 3);
    assert_entry(&m[0], 0, 4 * MiB - 0x2000, XEN_HVM_MEMMAP_TYPE_RAM);
    assert_entry(&m[1], 4 * MiB - 0x2000, 0x2000, XEN_HVM_MEMMAP_TYPE_RESERVED);
}
END_TEST

START_TEST(test_boot_high_ram)
{
    struct guest_ram split = {
        .host = ram.host, .size = 4 * MiB, .low_size = 3 * MiB};
    struct elf_image img = image_at(0x100000, 0x1000);
    const struct hvm_memmap_table_entry *m;
    struct boot_layout b;

    ck_assert_int_eq(boot_build(&img, &split, "x", 0, &b, &err), 0);
    ck_assert_uint_eq(b.base, 0x101000);
    ck_assert_uint_eq(b.memmap_entries, 5);
    m = memmap_of(&b);
    assert_entry(&m[0], 0, 0x101000, XEN_HVM_MEMMAP_TYPE_RAM);
    assert_entry(&m[1], 0x101000, 4096, XEN_HVM_MEMMAP_TYPE_RESERVED);
    assert_entry(&m[2], 0x102000, 3 * MiB - 0x102000, XEN_HVM_MEMMAP_TYPE_RAM);
    assert_entry(&m[3], PVHV_GRANT_WINDOW_BASE, PVHV_GRANT_WINDOW_SIZE,
                 XEN_HVM_MEMMAP_TYPE_RESERVED);
    assert_entry(&m[4], GUEST_4G, MiB, XEN_HVM_MEMMAP_TYPE_RAM);
}
END_TEST

START_TEST(test_boot_top_for_high_image)
{
    /* An image in RAM above 4 GiB leaves the top of low RAM free. */
    struct guest_ram split = {
        .host = ram.host, .size = 4 * MiB, .low_size = 3 * MiB};
    struct elf_image img = image_at(GUEST_4G, 0x1000);
    const struct hvm_memmap_table_entry *m;
    struct boot_layout b;

    ck_assert_int_eq(boot_build(&img, &split, NULL, 1, &b, &err), 0);
    ck_assert_uint_eq(b.base, 3 * MiB - 0x2000);
    m = memmap_of(&b);
    assert_entry(&m[0], 0, 3 * MiB - 0x2000, XEN_HVM_MEMMAP_TYPE_RAM);
    assert_entry(&m[1], 3 * MiB - 0x2000, 0x2000, XEN_HVM_MEMMAP_TYPE_RESERVED);
}
END_TEST

START_TEST(test_boot_cmdline_limit)
{
    struct elf_image img = image_at(0x100000, 0x1000);
    static char line[BOOT_CMDLINE_MAX + 1];
    struct boot_layout b;

    memset(line, 'a', BOOT_CMDLINE_MAX - 1);
    ck_assert_int_eq(boot_build(&img, &ram, line, 0, &b, &err), 0);
    ck_assert_uint_eq(b.size, 2 * 4096);
    ck_assert_uint_eq(strlen((const char *)ram.host + b.cmdline),
                      BOOT_CMDLINE_MAX - 1);
    line[BOOT_CMDLINE_MAX - 1] = 'a';
    ck_assert_int_eq(boot_build(&img, &ram, line, 0, &b, &err), -E2BIG);
    ck_assert_str_eq(err.msg,
                     "command line is 4096 bytes long; at most 4095 fit");
}
END_TEST

static Suite *loader_suite(void)
{
    Suite *s = suite_create("loader");
    TCase *elf = tcase_create("elf");
    TCase *boot = tcase_create("boot");

    tcase_add_checked_fixture(elf, setup, teardown);
    tcase_add_test(elf, test_valid_elf64);
    tcase_add_test(elf, test_valid_elf32);
    tcase_add_test(elf, test_load_at_zero);
    tcase_add_test(elf, test_note_in_section_only);
    tcase_add_test(elf, test_truncated);
    tcase_add_test(elf, test_phdrs_beyond_eof);
    tcase_add_test(elf, test_segment_beyond_eof);
    tcase_add_test(elf, test_wrong_machine);
    tcase_add_test(elf, test_bad_ident);
    tcase_add_test(elf, test_segment_outside_ram);
    tcase_add_test(elf, test_notes);
    tcase_add_test(elf, test_guest_os_note);
    suite_add_tcase(s, elf);
    tcase_add_checked_fixture(boot, setup, teardown);
    tcase_add_test(boot, test_boot_after_image);
    tcase_add_test(boot, test_boot_module);
    tcase_add_test(boot, test_boot_top_for_high_image);
    tcase_add_test(boot, test_boot_below_image);
    tcase_add_test(boot, test_boot_no_room);
    tcase_add_test(boot, test_boot_high_ram);
    tcase_add_test(boot, test_boot_cmdline_limit);
    suite_add_tcase(s, boot);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(loader_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
