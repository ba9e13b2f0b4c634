/* SPDX-License-Identifier: MIT */
/* check_domain_xml.c: unit tests of libpvctl: domain XML loading, numbers. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libpvctl/domain_xml.h"
#include "libpvctl/number.h"

/* Each test gets its own folder; fixtures are written there from strings. */
static char tmpdir[64];
static char path[PATH_MAX];
static struct domain_def def;
static struct pvctl_error err;

/* The smallest valid domain; variants below change one piece of it. */
static const char MINIMAL[] = "<domain type='xen'>\n"              /* 1 */
                              "  <name>hello</name>\n"             /* 2 */
                              "  <memory unit='MiB'>64</memory>\n" /* 3 */
                              "  <vcpu>1</vcpu>\n"                 /* 4 */
                              "  <os>\n"                           /* 5 */
                              "    <type>xenpvh</type>\n"          /* 6 */
                              "    <kernel>hello.elf</kernel>\n"   /* 7 */
                              "  </os>\n"                          /* 8 */
                              "</domain>\n";                       /* 9 */

/* Every element, in an order unlike the usual one. */
static const char FULL[] =
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<!-- libvirt's test-paravirt-cmdline, as PVH -->\n"
    "<domain type='xen'>\n"
    "  <on_crash>restart</on_crash>\n"
    "  <devices>\n"
    "    <controller type='xenbus' maxGrantFrames='63' maxEventChannels='2047'/>\n"
    "    <console type='pty'><target type='xen' port='0'/></console>\n"
    "  </devices>\n"
    "  <os>\n"
    "    <cmdline>console=hvc0 loglevel=8</cmdline>\n"
    "    <kernel>/boot/pvh.elf</kernel>\n"
    "    <type arch='x86_64' machine='xenpvh'>xenpvh</type>\n"
    "  </os>\n"
    "  <vcpu placement='static' current='2'>\n    4\n  </vcpu>\n"
    "  <currentMemory unit='KiB'>403456</currentMemory>\n"
    "  <memory>592896</memory>\n"
    "  <uuid> c7a5fdb2-cdaf-9455-926a-d65c16db1809 </uuid>\n"
    "  <name>XenGuest2</name>\n"
    "  <on_reboot>destroy</on_reboot>\n"
    "  <on_poweroff>restart</on_poweroff>\n"
    "</domain>\n";

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void setup(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_domain_xml.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    memset(&def, 0xa5, sizeof(def));
    err.msg[0] = '\0';
}

static void teardown(void)
{
    nftw(tmpdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* fixture: writes (text) to (name) in the test folder; its path in path. */
static const char *fixture(const char *name, const char *text)
{
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_ge(fputs(text, f), 0);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

/* variant: MINIMAL with its first (from) replaced by (to), in a new buffer. */
static char *variant(const char *from, const char *to)
{
    const char *at = strstr(MINIMAL, from);
    char *out;

    ck_assert_msg(at != NULL, "'%s' is not in MINIMAL", from);
    ck_assert_int_ge(asprintf(&out, "%.*s%s%s", (int)(at - MINIMAL), MINIMAL,
                              to, at + strlen(from)),
                     0);
    return out;
}

static int load_text(const char *text)
{
    return domain_xml_load(fixture("domain.xml", text), &def, &err);
}

static int load_variant(const char *from, const char *to)
{
    char *text = variant(from, to);
    int ret = load_text(text);

    free(text);
    return ret;
}

/* expect: (msg) is the error, after "path" (the file as named). */
static void expect(const char *msg)
{
    char want[PVCTL_ERR_MAX];

    snprintf(want, sizeof(want), "%s%s", path, msg);
    ck_assert_str_eq(err.msg, want);
}

START_TEST(test_minimal)
{
    char kernel[PATH_MAX];
    static const uint8_t zero[16];

    ck_assert_int_eq(load_text(MINIMAL), 0);
    ck_assert_str_eq(def.name, "hello");
    ck_assert(def.uuid_generated);
    ck_assert_mem_ne(def.uuid, zero, 16);
    ck_assert_uint_eq(def.memory, 64ULL << 20);
    ck_assert_uint_eq(def.current_memory, 64ULL << 20);
    ck_assert_uint_eq(def.vcpus, 1);
    ck_assert_uint_eq(def.vcpus_current, 1);
    ck_assert(!def.placement_auto);
    snprintf(kernel, sizeof(kernel), "%s/hello.elf", tmpdir);
    ck_assert_str_eq(def.kernel, kernel);
    ck_assert_uint_eq(def.kernel_line, 7);
    ck_assert_str_eq(def.cmdline, "");
    ck_assert_int_eq(def.on_poweroff, DOMAIN_ACTION_DESTROY);
    ck_assert_int_eq(def.on_reboot, DOMAIN_ACTION_RESTART);
    ck_assert_int_eq(def.on_crash, DOMAIN_ACTION_DESTROY);
    ck_assert(!def.console);
    ck_assert(!def.xenbus);
    ck_assert_uint_eq(def.max_grant_frames, 0);
    ck_assert_uint_eq(def.max_event_channels, 0);
    ck_assert_uint_eq(def.nr_disks, 0);
}
END_TEST

START_TEST(test_full)
{
    static const uint8_t uuid[16] = {0xc7, 0xa5, 0xfd, 0xb2, 0xcd, 0xaf,
                                     0x94, 0x55, 0x92, 0x6a, 0xd6, 0x5c,
                                     0x16, 0xdb, 0x18, 0x09};

    ck_assert_int_eq(load_text(FULL), 0);
    ck_assert_str_eq(def.name, "XenGuest2");
    ck_assert(!def.uuid_generated);
    ck_assert_mem_eq(def.uuid, uuid, 16);
    ck_assert_uint_eq(def.memory, 592896ULL * 1024);
    ck_assert_uint_eq(def.current_memory, 403456ULL * 1024);
    ck_assert_uint_eq(def.vcpus, 4);
    ck_assert_uint_eq(def.vcpus_current, 2);
    ck_assert(!def.placement_auto);
    ck_assert_str_eq(def.kernel, "/boot/pvh.elf");
    ck_assert_uint_eq(def.kernel_line, 11);
    ck_assert_str_eq(def.cmdline, "console=hvc0 loglevel=8");
    ck_assert_int_eq(def.on_poweroff, DOMAIN_ACTION_RESTART);
    ck_assert_int_eq(def.on_reboot, DOMAIN_ACTION_DESTROY);
    ck_assert_int_eq(def.on_crash, DOMAIN_ACTION_RESTART);
    ck_assert(def.console);
    ck_assert(def.xenbus);
    ck_assert_uint_eq(def.max_grant_frames, 63);
    ck_assert_uint_eq(def.max_event_channels, 2047);
    ck_assert_uint_eq(def.nr_disks, 0);
    ck_assert_str_eq(domain_action_name(def.on_poweroff), "restart");
    ck_assert_str_eq(domain_action_name(def.on_reboot), "destroy");
}
END_TEST

/* One <memory> per unit: the value, then the bytes after rounding to 4K. */
static const struct {
    const char *memory;
    uint64_t bytes;
} units[] = {
    {"<memory unit='b'>1</memory>", 4096},
    {"<memory unit='bytes'>4097</memory>", 8192},
    {"<memory unit='KB'>1</memory>", 4096},
    {"<memory unit='k'>8</memory>", 8192},
    {"<memory unit='KiB'>12</memory>", 12288},
    {"<memory>65536</memory>", 64ULL << 20},
    {"<memory unit='MB'>1</memory>", 1003520},
    {"<memory unit='M'>3</memory>", 3ULL << 20},
    {"<memory unit='MiB'>5</memory>", 5ULL << 20},
    {"<memory unit='GB'>1</memory>", 1000001536},
    {"<memory unit='G'>2</memory>", 2ULL << 30},
    {"<memory unit='GiB'>3</memory>", 3ULL << 30},
    {"<memory unit='TB'>1</memory>", 1000000000000ULL},
    {"<memory unit='T'>1</memory>", 1ULL << 40},
    {"<memory unit='TiB'>1</memory>", 1ULL << 40},
    {"<memory unit='GiB'>1024</memory>", 1ULL << 40},
};

START_TEST(test_units)
{
    ck_assert_int_eq(
        load_variant("<memory unit='MiB'>64</memory>", units[_i].memory), 0);
    ck_assert_uint_eq(def.memory, units[_i].bytes);
    ck_assert_uint_eq(def.current_memory, units[_i].bytes);
}
END_TEST

/* libvirt's defaults: one vCPU without <vcpu>; preserve is an action. */
START_TEST(test_vcpu_optional_and_preserve)
{
    ck_assert_int_eq(
        load_variant("  <vcpu>1</vcpu>\n", "  <on_crash>preserve</on_crash>\n"),
        0);
    ck_assert_uint_eq(def.vcpus, 1);
    ck_assert_uint_eq(def.vcpus_current, 1);
    ck_assert_int_eq(def.on_crash, DOMAIN_ACTION_PRESERVE);
    ck_assert_str_eq(domain_action_name(def.on_crash), "preserve");
}
END_TEST

START_TEST(test_current_memory)
{
    ck_assert_int_eq(
        load_variant(
            "  <vcpu>",
            "  <currentMemory unit='b'>67108864</currentMemory>\n  <vcpu>"),
        0);
    ck_assert_uint_eq(def.memory, 64ULL << 20);
    ck_assert_uint_eq(def.current_memory, 64ULL << 20);
    /* Their lines, for pvctl's messages about the host's memory. */
    ck_assert_uint_eq(def.memory_line, 3);
    ck_assert_uint_eq(def.current_memory_line, 4);
    ck_assert_int_eq(
        load_variant("  <vcpu>", "  <currentMemory>1</currentMemory><vcpu>"),
        0);
    ck_assert_uint_eq(def.current_memory, 4096);
    ck_assert_int_eq(load_text(MINIMAL), 0);
    ck_assert_uint_eq(def.memory_line, 3);
    ck_assert_uint_eq(def.current_memory_line, 0);
}
END_TEST

START_TEST(test_uuid_generated)
{
    uint8_t first[16];

    ck_assert_int_eq(load_text(MINIMAL), 0);
    ck_assert(def.uuid_generated);
    memcpy(first, def.uuid, 16);
    ck_assert_int_eq(load_text(MINIMAL), 0);
    ck_assert(def.uuid_generated);
    ck_assert_mem_ne(def.uuid, first, 16);
    /* RFC 4122 version 4, variant 10xx */
    ck_assert_uint_eq(def.uuid[6] >> 4, 4);
    ck_assert_uint_eq(def.uuid[8] >> 6, 2);
}
END_TEST

START_TEST(test_kernel_relative)
{
    char want[PATH_MAX + 64], real[PATH_MAX], cwd[PATH_MAX];

    ck_assert_int_eq(load_variant("hello.elf", "sub/../k.elf"), 0);
    snprintf(want, sizeof(want), "%s/sub/../k.elf", tmpdir);
    ck_assert_str_eq(def.kernel, want);
    ck_assert_int_eq(load_variant("hello.elf", "/abs/k.elf"), 0);
    ck_assert_str_eq(def.kernel, "/abs/k.elf");

    /* A relative XML path: resolved against the current folder. */
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    ck_assert_ptr_nonnull(realpath(tmpdir, real));
    snprintf(want, sizeof(want), "%s/d", tmpdir);
    ck_assert_int_eq(mkdir(want, 0700), 0);
    fixture("d/x.xml", MINIMAL);
    ck_assert_int_eq(chdir(tmpdir), 0);
    ck_assert_int_eq(domain_xml_load("d/x.xml", &def, &err), 0);
    snprintf(want, sizeof(want), "%s/d/hello.elf", real);
    ck_assert_str_eq(def.kernel, want);
    fixture("top.xml", MINIMAL);
    ck_assert_int_eq(domain_xml_load("top.xml", &def, &err), 0);
    snprintf(want, sizeof(want), "%s/hello.elf", real);
    ck_assert_str_eq(def.kernel, want);
    ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

START_TEST(test_initrd)
{
    char want[PATH_MAX + 64];

    ck_assert_int_eq(load_variant("x", "x"), 0); /* the minimal domain */
    ck_assert_str_eq(def.initrd, "");
    ck_assert_int_eq(load_variant("<kernel>hello.elf</kernel>",
                                  "<kernel>hello.elf</kernel>"
                                  "<initrd>rd/initrd.img</initrd>"),
                     0);
    snprintf(want, sizeof(want), "%s/rd/initrd.img", tmpdir);
    ck_assert_str_eq(def.initrd, want);
    ck_assert_uint_gt(def.initrd_line, 0);
    ck_assert_int_eq(load_variant("<kernel>hello.elf</kernel>",
                                  "<initrd>/abs/rd</initrd>"
                                  "<kernel>hello.elf</kernel>"),
                     0);
    ck_assert_str_eq(def.initrd, "/abs/rd");
}
END_TEST

/* Disks, libvirt's form first; <devices> starts at line 5. */
static const char DISKS[] =
    "  <devices>\n"                                                     /* 5 */
    "    <disk type='file' device='disk'>\n"                            /* 6 */
    "      <driver name='qemu' type='raw'/>\n"                          /* 7 */
    "      <source file='disks/root.img'/>\n"                           /* 8 */
    "      <target dev='xvda' bus='xen'/>\n"                            /* 9 */
    "    </disk>\n"                                                     /* 10 */
    "    <console type='pty'/>\n"                                       /* 11 */
    "    <disk><readonly/><target dev='xvdz'/>\n"                       /* 12 */
    "      <source file='/srv/data.img'/></disk>\n"                     /* 13 */
    "    <disk><source file='../up.img'/><target dev='xvdb'/></disk>\n" /* 14 */
    "    <disk type='block' device='disk'>\n"                           /* 15 */
    "      <source dev='/dev/vdb'/><target dev='xvdc'/></disk>\n"       /* 16 */
    "  </devices>\n"                                                    /* 17 */
    "  <os>";

START_TEST(test_disks)
{
    char want[PATH_MAX + 64];

    ck_assert_int_eq(load_variant("  <os>", DISKS), 0);
    ck_assert_uint_eq(def.nr_disks, 4);
    snprintf(want, sizeof(want), "%s/disks/root.img", tmpdir);
    ck_assert_str_eq(def.disks[0].path, want);
    ck_assert_str_eq(def.disks[0].vdev, "xvda");
    ck_assert(!def.disks[0].readonly);
    ck_assert_uint_eq(def.disks[0].source_line, 8);
    ck_assert_uint_eq(def.disks[0].target_line, 9);
    ck_assert_str_eq(def.disks[1].path, "/srv/data.img");
    ck_assert_str_eq(def.disks[1].vdev, "xvdz");
    ck_assert(def.disks[1].readonly);
    ck_assert_uint_eq(def.disks[1].source_line, 13);
    ck_assert_uint_eq(def.disks[1].target_line, 12);
    snprintf(want, sizeof(want), "%s/../up.img", tmpdir);
    ck_assert_str_eq(def.disks[2].path, want);
    ck_assert_str_eq(def.disks[2].vdev, "xvdb");
    ck_assert(!def.disks[2].readonly);
    ck_assert(!def.disks[0].block && !def.disks[1].block &&
              !def.disks[2].block);
    /* <disk type='block'>: a block device named by <source dev=''>. */
    ck_assert(def.disks[3].block);
    ck_assert_str_eq(def.disks[3].path, "/dev/vdb");
    ck_assert_str_eq(def.disks[3].vdev, "xvdc");
    ck_assert_uint_eq(def.disks[3].source_line, 16);
    ck_assert(def.console);
    ck_assert_uint_eq(def.disks[0].devid, 51712);
    ck_assert_uint_eq(def.disks[1].devid, (1U << 28) | (25 << 8));
}
END_TEST

/* Every name Xen's toolstack takes, with the device id it gives. */
START_TEST(test_disk_names)
{
    static const struct {
        const char *dev;
        uint32_t devid;
    } names[] = {
        {"hda", 768},     {"hdb", 832},        {"hdc", 5632},
        {"hda1", 769},    {"sda", 2048},       {"sdb2", 2066},
        {"xvdb3", 51731}, {"xvdq", 268439552}, {"xvda16", 268435472},
        {"d1p0", 51728},  {"51713", 51713},    {"0x300", 768},
    };
    char *devices = NULL, *text;
    size_t len = 0;
    FILE *f = open_memstream(&devices, &len);
    unsigned int i;

    ck_assert_ptr_nonnull(f);
    fputs("  <devices>", f);
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        fprintf(f, "<disk><source file='%u.img'/><target dev='%s'/></disk>\n",
                i, names[i].dev);
    fputs("</devices>\n  <os>", f);
    ck_assert_int_eq(fclose(f), 0);
    /* 0x300 is hda again: the last disk is refused, naming the first. */
    text = variant("  <os>", devices);
    free(devices);
    ck_assert_int_eq(load_text(text), -EINVAL);
    free(text);
    expect(
        ":16: <target dev='0x300'>: '0x300' is device 768, as is 'hda', the target of the disk at line 5; allowed: a different device for each disk");
    for (i = 0; i + 1 < sizeof(names) / sizeof(names[0]); i++) {
        char one[160];

        snprintf(one, sizeof(one),
                 "  <devices><disk><source file='a'/><target dev='%s'/>"
                 "</disk></devices>\n  <os>",
                 names[i].dev);
        ck_assert_int_eq(load_variant("  <os>", one), 0);
        ck_assert_str_eq(def.disks[0].vdev, names[i].dev);
        ck_assert_uint_eq(def.disks[0].devid, names[i].devid);
    }
}
END_TEST

/* disks_xml: MINIMAL with (n) disks xvda, xvdb, ..., one per line from 5. */
static char *disks_xml(unsigned int n)
{
    char *devices = NULL, *text;
    size_t len = 0;
    FILE *f = open_memstream(&devices, &len);
    unsigned int i;

    ck_assert_ptr_nonnull(f);
    fputs("  <devices>", f);
    for (i = 0; i < n; i++)
        fprintf(f,
                "<disk><source file='%u.img'/><target dev='xvd%c'/></disk>\n",
                i, 'a' + i);
    fputs("</devices>\n  <os>", f);
    ck_assert_int_eq(fclose(f), 0);
    text = variant("  <os>", devices);
    free(devices);
    return text;
}

START_TEST(test_disks_limit)
{
    char *text = disks_xml(DOMAIN_MAX_DISKS), want[PATH_MAX + 64];

    ck_assert_int_eq(load_text(text), 0);
    free(text);
    ck_assert_uint_eq(def.nr_disks, 16);
    ck_assert_str_eq(def.disks[15].vdev, "xvdp");
    snprintf(want, sizeof(want), "%s/15.img", tmpdir);
    ck_assert_str_eq(def.disks[15].path, want);
    ck_assert_uint_eq(def.disks[15].source_line, 20);

    text = disks_xml(DOMAIN_MAX_DISKS + 1);
    ck_assert_int_eq(load_text(text), -EINVAL);
    free(text);
    expect(":21: <disk>: disk 17 is one too many; allowed: at most 16 disks");
}
END_TEST

/* <type>hvm</type>: emulated hardware; at most two disks (ATA master and
 * slave). */
START_TEST(test_hvm)
{
    char *text, *hvm;

    ck_assert_int_eq(load_text(MINIMAL), 0);
    ck_assert(!def.hvm);
    ck_assert_int_eq(load_variant("<type>xenpvh", "<type>hvm"), 0);
    ck_assert(def.hvm);
    ck_assert_int_eq(
        load_variant("<type>xenpvh", "<type arch='x86_64' machine='pc'>hvm"),
        0);
    ck_assert(def.hvm);
    text = disks_xml(2);
    hvm = strstr(text, ">xenpvh<");
    ck_assert_ptr_nonnull(hvm);
    memcpy(hvm, ">hvm   <", 8);
    ck_assert_int_eq(load_text(text), 0);
    ck_assert(def.hvm);
    ck_assert_uint_eq(def.nr_disks, 2);
    free(text);
    text = disks_xml(3);
    hvm = strstr(text, ">xenpvh<");
    memcpy(hvm, ">hvm   <", 8);
    ck_assert_int_eq(load_text(text), -EINVAL);
    free(text);
    expect(":10: <type>: hvm domain with 3 disks; allowed: at most 2 (the ATA "
           "primary channel's master and slave)");
}
END_TEST

/* Invalid files: (from) in MINIMAL becomes (to) (no from: to is the file). */
struct bad {
    const char *from;
    const char *to;
    const char *msg; /* the error after the file's path */
};

#define UNITS "b, bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB"
#define MEM_ALLOWED                                                            \
    "a whole number of KiB, or of the unit named by the unit attribute"
#define NAME_ALLOWED                                                           \
    "1 to 63 characters among letters, digits, '_', '-', '.' and '+', not starting with '-' or '.'"
#define DOMAIN_KIDS                                                            \
    "<name>, <uuid>, <memory>, <currentMemory>, <vcpu>, <os>, <on_poweroff>, <on_reboot>, <on_crash>, <devices>"

static const struct bad bad[] =
    {
        /* not XML, structure */
        {NULL, "this is not XML\n",
         ":1: not well-formed XML: Start tag expected, '<' not found"},
        {NULL, "", ":1: not well-formed XML: Document is empty"},
        {"</name>", "</nam>",
         ":2: <name>: not well-formed XML: Opening and ending tag mismatch: name line 2 and nam"},
        {NULL, "<!DOCTYPE domain [<!ENTITY x 'y'>]>\n<domain type='xen'/>\n",
         ": <!DOCTYPE>: document type declarations are not allowed; allowed: a plain <domain> document"},
        {NULL, "<dom type='xen'/>\n",
         ":1: <dom>: wrong root element; allowed: <domain>"},
        {"  <name>hello</name>\n", "",
         ":1: <domain>: missing element <name>; it is required"},
        {"    <kernel>hello.elf</kernel>\n", "",
         ":5: <os>: missing element <kernel>; it is required"},
        {"  <vcpu>1</vcpu>\n", "  <vcpu>1</vcpu>\n  <clock offset='utc'/>\n",
         ":5: <clock>: unknown element inside <domain>; allowed: " DOMAIN_KIDS},
        {"    <kernel>", "    <loader>l</loader><kernel>",
         ":7: <loader>: unknown element inside <os>; allowed: <type>, <kernel>, <initrd>, <cmdline>"},
        {"    <kernel>", "    <initrd></initrd><kernel>",
         ":7: <initrd>: '' is empty; allowed: the path of an initial ramdisk, absolute or relative to the folder of the XML file"},
        {"<vcpu>", "<vcpu cpuset='0-1'>",
         ":4: <vcpu cpuset='0-1'>: unknown attribute 'cpuset'; allowed: placement, current"},
        {"  <vcpu>1</vcpu>\n", "  <vcpu>1</vcpu>\n  <vcpu>2</vcpu>\n",
         ":5: <vcpu>: repeated inside <domain> (first at line 4); allowed: one <vcpu>"},
        {"  <vcpu>1</vcpu>\n", "  <vcpu>1</vcpu> junk\n",
         ":4: <domain>: unexpected text 'junk'; allowed: only elements inside <domain>"},
        {"<domain type='xen'>", "<domain>",
         ":1: <domain>: missing attribute 'type'; it is required"},
        {"type='xen'", "type='kvm'",
         ":1: <domain type='kvm'>: unsupported domain type 'kvm'; allowed: xen"},
        /* name, uuid */
        {">hello<", "><", ":2: <name>: '' is empty; allowed: " NAME_ALLOWED},
        {">hello<", ">my guest<",
         ":2: <name>: 'my guest' contains ' '; allowed: " NAME_ALLOWED},
        {">hello<", ">a\tb<",
         ":2: <name>: 'a\tb' contains byte 0x09; allowed: " NAME_ALLOWED},
        {">hello<", ">-x<",
         ":2: <name>: '-x' starts with '-'; allowed: " NAME_ALLOWED},
        {">hello<",
         ">abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234<",
         ":2: <name>: 'abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234' is too long (64 characters); allowed: " NAME_ALLOWED},
        {"  <memory",
         "  <uuid>c7a5fdb2-cdaf-9455-926a-d65c16db180</uuid>\n  <memory",
         ":3: <uuid>: 'c7a5fdb2-cdaf-9455-926a-d65c16db180' is not a UUID; allowed: 32 hexadecimal digits grouped 8-4-4-4-12, e.g. c7a5fdb2-cdaf-9455-926a-d65c16db1809"},
        /* memory */
        {"unit='MiB'", "unit='furlongs'",
         ":3: <memory unit='furlongs'>: unknown unit 'furlongs'; allowed: " UNITS},
        {"unit='MiB'", "unit='mib'",
         ":3: <memory unit='mib'>: unknown unit 'mib'; allowed: " UNITS},
        {">64<", ">lots<",
         ":3: <memory unit='MiB'>: 'lots' is not a number; allowed: " MEM_ALLOWED},
        {">64<", ">4x<",
         ":3: <memory unit='MiB'>: '4x' has trailing characters 'x'; allowed: " MEM_ALLOWED},
        {">64<", ">-1<",
         ":3: <memory unit='MiB'>: '-1' is negative; allowed: " MEM_ALLOWED},
        {">64<", ">1.5<",
         ":3: <memory unit='MiB'>: '1.5' has trailing characters '.5'; allowed: " MEM_ALLOWED},
        {">64<", "> <",
         ":3: <memory unit='MiB'>: '' is empty; allowed: " MEM_ALLOWED},
        {">64<", ">0<",
         ":3: <memory unit='MiB'>: '0' is out of range; allowed: 1 byte to 1 TiB"},
        {"<memory unit='MiB'>64", "<memory unit='TiB'>2",
         ":3: <memory unit='TiB'>: '2' is out of range; allowed: 1 byte to 1 TiB"},
        {"<memory unit='MiB'>64", "<memory unit='b'>1099511627777",
         ":3: <memory unit='b'>: '1099511627777' is out of range; allowed: 1 byte to 1 TiB"},
        {"<memory unit='MiB'>64", "<memory unit='TiB'>99999999",
         ":3: <memory unit='TiB'>: '99999999' is out of range; allowed: 1 byte to 1 TiB"},
        {"<memory unit='MiB'>64", "<memory>99999999999999999999999",
         ":3: <memory>: '99999999999999999999999' is out of range; allowed: 1 byte to 1 TiB"},
        {"  <vcpu>",
         "  <currentMemory unit='MiB'>128</currentMemory>\n  <vcpu>",
         ":4: <currentMemory unit='MiB'>: 134217728 bytes is more than <memory> (67108864 bytes, line 3); allowed: at most the size of <memory>"},
        {"  <vcpu>",
         "  <currentMemory unit='b'>67108865</currentMemory>\n  <vcpu>",
         ":4: <currentMemory unit='b'>: 67108865 bytes is more than <memory> (67108864 bytes, line 3); allowed: at most the size of <memory>"},
        /* vcpu */
        {">1</vcpu>", ">0</vcpu>",
         ":4: <vcpu>: '0' is out of range; allowed: 1 to 32"},
        {">1</vcpu>", ">33</vcpu>",
         ":4: <vcpu>: '33' is out of range; allowed: 1 to 32"},
        {">1</vcpu>", ">two</vcpu>",
         ":4: <vcpu>: 'two' is not a number; allowed: 1 to 32"},
        {"<vcpu>1", "<vcpu current='3'>2",
         ":4: <vcpu current='3'>: '3' is out of range; allowed: 1 to 2"},
        {"<vcpu>", "<vcpu placement='pinned'>",
         ":4: <vcpu placement='pinned'>: unknown placement 'pinned'; allowed: static, auto"},
        /* os */
        {">xenpvh<", ">linux<",
         ":6: <type>: 'linux' (classic Xen PV) is not supported; allowed: xenpvh, hvm"},
        {">xenpvh<", ">exe<",
         ":6: <type>: 'exe' is not an OS type; allowed: xenpvh, hvm"},
        {"<type>xenpvh", "<type machine='xenpvh'>hvm",
         ":6: <type machine='xenpvh'>: unsupported machine 'xenpvh'; allowed: pc"},
        {"<type>", "<type arch='i686'>",
         ":6: <type arch='i686'>: unsupported arch 'i686'; allowed: x86_64"},
        {"<type>", "<type machine='xenpv'>",
         ":6: <type machine='xenpv'>: unsupported machine 'xenpv'; allowed: xenpvh"},
        {">hello.elf<", "><",
         ":7: <kernel>: '' is empty; allowed: the path of a PVH ELF kernel, absolute or relative to the folder of the XML file"},
        /* actions */
        {"  <os>", "  <on_crash>rename-restart</on_crash>\n  <os>",
         ":5: <on_crash>: 'rename-restart' is not supported by pvctl; allowed: destroy, restart, preserve"},
        {"  <os>", "  <on_reboot>coredump-restart</on_reboot>\n  <os>",
         ":5: <on_reboot>: 'coredump-restart' is not supported by pvctl; allowed: destroy, restart, preserve"},
        {"  <os>", "  <on_poweroff>explode</on_poweroff>\n  <os>",
         ":5: <on_poweroff>: 'explode' is not an action; allowed: destroy, restart, preserve"},
        /* devices */
        {"  <os>", "  <devices><console type='file'/></devices>\n  <os>",
         ":5: <console type='file'>: unsupported console type 'file'; allowed: pty"},
        {"  <os>",
         "  <devices><console type='pty'><target type='serial'/></console></devices>\n  <os>",
         ":5: <target type='serial'>: unsupported console target type 'serial'; allowed: xen"},
        {"  <os>",
         "  <devices><console type='pty'><target port='1'/></console></devices>\n  <os>",
         ":5: <target port='1'>: '1' is out of range; allowed: 0"},
        {"  <os>", "  <devices><controller type='usb'/></devices>\n  <os>",
         ":5: <controller type='usb'>: unsupported controller type 'usb'; allowed: xenbus"},
        {"  <os>",
         "  <devices><controller type='xenbus' maxGrantFrames='0'/></devices>\n  <os>",
         ":5: <controller maxGrantFrames='0'>: '0' is out of range; allowed: 1 to 63"},
        {"  <os>",
         "  <devices><controller type='xenbus' maxGrantFrames='64'/></devices>\n  <os>",
         ":5: <controller maxGrantFrames='64'>: '64' is out of range; allowed: 1 to 63"},
        /* disks: structure */
        {"  <os>",
         "  <devices><disk><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <disk>: missing element <source>; it is required"},
        {"  <os>",
         "  <devices><disk><source file='a'/></disk></devices>\n  <os>",
         ":5: <disk>: missing element <target>; it is required"},
        {"  <os>",
         "  <devices><disk><source file='a'/><target/></disk></devices>\n  <os>",
         ":5: <target>: missing attribute 'dev'; it is required"},
        {"  <os>",
         "  <devices><disk><source file='a'/><target dev='xvda'/>\n"
         "    <shareable/></disk></devices>\n  <os>",
         ":6: <shareable>: unknown element inside <disk>; allowed: <driver>, <source>, <target>, <readonly>"},
        {"  <os>",
         "  <devices><disk><source file='a'/>\n"
         "    <target dev='xvda'/><source file='b'/></disk></devices>\n  <os>",
         ":6: <source>: repeated inside <disk> (first at line 5); allowed: one <source>"},
        {"  <os>",
         "  <devices><disk snapshot='no'><source file='a'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <disk snapshot='no'>: unknown attribute 'snapshot'; allowed: type, device"},
        /* disks: values */
        {"  <os>",
         "  <devices><disk type='block' device='disk'><source file='/dev/sdb'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <source file='/dev/sdb'>: unknown attribute 'file'; allowed: dev"},
        {"  <os>",
         "  <devices><disk type='block'><source/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <source>: missing attribute 'dev'; it is required"},
        {"  <os>",
         "  <devices><disk type='block'><source dev=''/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <source dev=''>: '' is empty; allowed: the path of a block device, absolute or relative to the folder of the XML file"},
        {"  <os>",
         "  <devices><disk><source dev='/dev/sdb'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <source dev='/dev/sdb'>: unknown attribute 'dev'; allowed: file"},
        {"  <os>",
         "  <devices><disk type='network'><source protocol='nbd' name='x'>\n"
         "    <host name='nbd.example' port='10809'/></source>\n"
         "    <target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <disk type='network'>: 'network' is not supported; allowed: file, block"},
        {"  <os>",
         "  <devices><disk type='tape'><source file='a'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <disk type='tape'>: 'tape' is not a disk type; allowed: file, block"},
        {"  <os>",
         "  <devices><disk device='cdrom'><source file='a.iso'/><target dev='xvdc'/><readonly/></disk></devices>\n  <os>",
         ":5: <disk device='cdrom'>: 'cdrom' is not supported; allowed: disk"},
        {"  <os>",
         "  <devices><disk device='floppy'><source file='a'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <disk device='floppy'>: 'floppy' is not supported; allowed: disk"},
        {"  <os>",
         "  <devices><disk device='tape'><source file='a'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <disk device='tape'>: 'tape' is not a disk device; allowed: disk"},
        {"  <os>",
         "  <devices><disk><driver name='qemu' type='qcow2'/><source file='a'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <driver type='qcow2'>: 'qcow2' is not supported: pvhv serves raw images only; allowed: raw"},
        {"  <os>",
         "  <devices><disk><driver type='vmdk'/><source file='a'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <driver type='vmdk'>: 'vmdk' is not supported: pvhv serves raw images only; allowed: raw"},
        {"  <os>",
         "  <devices><disk><driver name='phy'/><source file='a'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <driver name='phy'>: unsupported disk driver name 'phy'; allowed: qemu"},
        {"  <os>",
         "  <devices><disk><source dev='/dev/sdb'/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <source dev='/dev/sdb'>: unknown attribute 'dev'; allowed: file"},
        {"  <os>",
         "  <devices><disk><source/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <source>: missing attribute 'file'; it is required"},
        {"  <os>",
         "  <devices><disk><source file='a'>\n    <host name='h'/></source>\n"
         "    <target dev='xvda'/></disk></devices>\n  <os>",
         ":6: <host>: unknown element inside <source>; allowed: none"},
        {"  <os>",
         "  <devices><disk><source file=''/><target dev='xvda'/></disk></devices>\n  <os>",
         ":5: <source file=''>: '' is empty; allowed: the path of a raw disk image, absolute or relative to the folder of the XML file"},
        {"  <os>",
         "  <devices><disk><source file='a'/><target dev='sdq'/></disk></devices>\n  <os>",
         ":5: <target dev='sdq'>: 'sdq' is not a Xen disk name; allowed: xvd<letters>[<partition>] (xvda, xvdb1, xvdaa), hd<a-d>[<partition>], sd<a-p>[<partition>], d<disk>p<partition> or a device number (51712), at most 15 characters"},
        {"  <os>",
         "  <devices><disk><source file='a'/><target dev='xvda0'/></disk></devices>\n  <os>", ":5: <target dev='xvda0'>: 'xvda0' is not a Xen disk name; allowed: xvd<letters>[<partition>] (xvda, xvdb1, xvdaa), hd<a-d>[<partition>], sd<a-p>[<partition>], d<disk>p<partition> or a device number (51712), at most 15 characters"},
        {"  <os>",
         "  <devices><disk><source file='a'/><target dev='xvdA'/></disk></devices>\n  <os>",
         ":5: <target dev='xvdA'>: 'xvdA' is not a Xen disk name; allowed: xvd<letters>[<partition>] (xvda, xvdb1, xvdaa), hd<a-d>[<partition>], sd<a-p>[<partition>], d<disk>p<partition> or a device number (51712), at most 15 characters"},
        {"  <os>",
         "  <devices><disk><source file='a'/><target dev='xvdaaaaaaaaaaaaa'/></disk></devices>\n  <os>",
         ":5: <target dev='xvdaaaaaaaaaaaaa'>: 'xvdaaaaaaaaaaaaa' is not a Xen disk name; allowed: xvd<letters>[<partition>] (xvda, xvdb1, xvdaa), hd<a-d>[<partition>], sd<a-p>[<partition>], d<disk>p<partition> or a device number (51712), at most 15 characters"},
        {"  <os>",
         "  <devices><disk><source file='a'/><target dev='xvda' bus='virtio'/></disk></devices>\n  <os>",
         ":5: <target bus='virtio'>: unsupported disk bus 'virtio'; allowed: xen"},
        {"  <os>",
         "  <devices>\n"
         "    <disk><source file='a'/><target dev='xvdb'/></disk>\n"
         "    <disk><source file='b'/>\n"
         "      <target dev='xvdb'/></disk>\n"
         "  </devices>\n  <os>",
         ":8: <target dev='xvdb'>: 'xvdb' is device 51728, as is 'xvdb', the target of the disk at line 6; allowed: a different device for each disk"},
        {"  <os>",
         "  <devices>\n"
         "    <disk><source file='a'/><target dev='hda'/></disk>\n"
         "    <disk><source file='b'/>\n"
         "      <target dev='768'/></disk>\n"
         "  </devices>\n  <os>",
         ":8: <target dev='768'>: '768' is device 768, as is 'hda', the target of the disk at line 6; allowed: a different device for each disk"},

        {"  <os>",
         "  <devices><controller type='xenbus' maxEventChannels='1k'/></devices>\n  <os>",
         ":5: <controller maxEventChannels='1k'>: '1k' has trailing characters 'k'; allowed: 1 to 4095"},
};

START_TEST(test_invalid)
{
    int ret;

    if (bad[_i].from)
        ret = load_variant(bad[_i].from, bad[_i].to);
    else
        ret = load_text(bad[_i].to);
    ck_assert_int_eq(ret, -EINVAL);
    expect(bad[_i].msg);
}
END_TEST

START_TEST(test_cmdline)
{
    char *cmd = malloc(DOMAIN_CMDLINE_MAX + 16), *to;

    ck_assert_ptr_nonnull(cmd);
    memset(cmd, 'a', DOMAIN_CMDLINE_MAX - 1);
    cmd[DOMAIN_CMDLINE_MAX - 1] = '\0';
    ck_assert_int_ge(asprintf(&to, "<cmdline>%s</cmdline><kernel>", cmd), 0);
    ck_assert_int_eq(load_variant("<kernel>", to), 0);
    ck_assert_uint_eq(strlen(def.cmdline), DOMAIN_CMDLINE_MAX - 1);
    free(to);
    strcat(cmd, "b");
    ck_assert_int_ge(asprintf(&to, "<cmdline>%s</cmdline><kernel>", cmd), 0);
    ck_assert_int_eq(load_variant("<kernel>", to), -EINVAL);
    expect(
        ":7: <cmdline>: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long (4096 bytes); allowed: at most 4095 bytes");
    free(to);
    free(cmd);
}
END_TEST

START_TEST(test_no_file)
{
    snprintf(path, sizeof(path), "%s/absent.xml", tmpdir);
    ck_assert_int_eq(domain_xml_load(path, &def, &err), -ENOENT);
    expect(": cannot open: No such file or directory");
    snprintf(path, sizeof(path), "%s", tmpdir);
    ck_assert_int_eq(domain_xml_load(path, &def, &err), -EISDIR);
    expect(": is a folder; allowed: a domain XML file");
    /* A FIFO is refused at once: opening it does not wait for a writer. */
    snprintf(path, sizeof(path), "%s/fifo.xml", tmpdir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(domain_xml_load(path, &def, &err), -EINVAL);
    expect(": is a FIFO; allowed: a domain XML file");
}
END_TEST

START_TEST(test_missing_schema)
{
    char a[96], b[128], want[PVCTL_ERR_MAX];
    const char *dirs[] = {a, b};
    FILE *empty;

    snprintf(a, sizeof(a), "%s/nowhere", tmpdir);
    snprintf(b, sizeof(b), "%s/elsewhere", tmpdir);
    fixture("domain.xml", MINIMAL);
    ck_assert_int_eq(domain_xml_load_from(path, dirs, 2, &def, &err), -ENOPKG);
    snprintf(
        want, sizeof(want),
        "cannot find the domain schema domain.rng; tried: %s/domain.rng (No such file or directory), %s/domain.rng (No such file or directory); set PVHV_DATADIR to the folder that holds domain.rng",
        a, b);
    ck_assert_str_eq(err.msg, want);

    /* A schema that is not XML is the installation's fault too. */
    ck_assert_int_eq(mkdir(a, 0700), 0);
    snprintf(b, sizeof(b), "%s/domain.rng", a);
    empty = fopen(b, "w");
    ck_assert_ptr_nonnull(empty);
    fclose(empty);
    ck_assert_int_eq(domain_xml_load_from(path, dirs, 1, &def, &err), -ENOPKG);
    snprintf(want, sizeof(want), "%s:1: not well-formed XML: Document is empty",
             b);
    ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(test_schema_dirs)
{
    const char *dirs[4];
    char none[PATH_MAX];

    ck_assert_int_eq(setenv("PVHV_DATADIR", "/opt/x", 1), 0);
    ck_assert_uint_eq(domain_xml_schema_dirs(dirs, 4), 3);
    ck_assert_str_eq(dirs[0], "/opt/x");
    ck_assert_str_eq(dirs[1], PVHV_PKGDATADIR);
    ck_assert_str_eq(dirs[2], PVHV_SRCDATADIR);
    ck_assert_uint_eq(domain_xml_schema_dirs(dirs, 1), 1);
    ck_assert_int_eq(setenv("PVHV_DATADIR", "", 1), 0);
    ck_assert_uint_eq(domain_xml_schema_dirs(dirs, 4), 2);
    ck_assert_str_eq(dirs[0], PVHV_PKGDATADIR);

    /* $PVHV_DATADIR without the schema: the next folder still serves. */
    snprintf(none, sizeof(none), "%s/none", tmpdir);
    ck_assert_int_eq(setenv("PVHV_DATADIR", none, 1), 0);
    ck_assert_int_eq(load_text(MINIMAL), 0);
    ck_assert_str_eq(def.name, "hello");
}
END_TEST

START_TEST(test_number_parse)
{
    char why[64];
    uint64_t v = 7;

    ck_assert_int_eq(number_parse_u64("0", &v, why, sizeof(why)), 0);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(
        number_parse_u64("18446744073709551615", &v, why, sizeof(why)), 0);
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert_int_eq(
        number_parse_u64("18446744073709551616", &v, why, sizeof(why)),
        -ERANGE);
    ck_assert_str_eq(why, "is too large");
    ck_assert_int_eq(number_parse_u64("+1", &v, why, sizeof(why)), -EINVAL);
    ck_assert_str_eq(why, "is not a number");
    ck_assert_int_eq(number_parse_u64("1 ", &v, why, sizeof(why)), -EINVAL);
    ck_assert_str_eq(why, "has trailing characters ' '");
    ck_assert_int_eq(number_parse_u64("-0", &v, why, sizeof(why)), -EINVAL);
    ck_assert_str_eq(why, "is negative");
    ck_assert_int_eq(number_parse_u64("", &v, why, sizeof(why)), -EINVAL);
    ck_assert_str_eq(why, "is empty");
}
END_TEST

START_TEST(test_number_scale)
{
    uint64_t b = 0;

    ck_assert_int_eq(number_scale_memory(3, NULL, &b), 0);
    ck_assert_uint_eq(b, 3072);
    ck_assert_int_eq(number_scale_memory(3, "KB", &b), 0);
    ck_assert_uint_eq(b, 3000);
    ck_assert_int_eq(number_scale_memory(2, "TB", &b), 0);
    ck_assert_uint_eq(b, 2000000000000ULL);
    ck_assert_int_eq(number_scale_memory(1, "kib", &b), -EINVAL);
    ck_assert_int_eq(number_scale_memory(1, "PiB", &b), -EINVAL);
    ck_assert_int_eq(number_scale_memory(1ULL << 24, "TiB", &b), -ERANGE);
    ck_assert_int_eq(number_scale_memory((1ULL << 24) - 1, "TiB", &b), 0);
}
END_TEST

static Suite *domain_xml_suite(void)
{
    Suite *s = suite_create("domain_xml");
    TCase *valid = tcase_create("valid");
    TCase *invalid = tcase_create("invalid");
    TCase *number = tcase_create("number");

    tcase_add_checked_fixture(valid, setup, teardown);
    tcase_add_test(valid, test_minimal);
    tcase_add_test(valid, test_full);
    tcase_add_loop_test(valid, test_units, 0, sizeof(units) / sizeof(units[0]));
    tcase_add_test(valid, test_current_memory);
    tcase_add_test(valid, test_vcpu_optional_and_preserve);
    tcase_add_test(valid, test_uuid_generated);
    tcase_add_test(valid, test_kernel_relative);
    tcase_add_test(valid, test_initrd);
    tcase_add_test(valid, test_schema_dirs);
    tcase_add_test(valid, test_disks);
    tcase_add_test(valid, test_disk_names);
    suite_add_tcase(s, valid);

    tcase_add_checked_fixture(invalid, setup, teardown);
    tcase_add_loop_test(invalid, test_invalid, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(invalid, test_disks_limit);
    tcase_add_test(invalid, test_hvm);
    tcase_add_test(invalid, test_cmdline);
    tcase_add_test(invalid, test_no_file);
    tcase_add_test(invalid, test_missing_schema);
    suite_add_tcase(s, invalid);

    tcase_add_test(number, test_number_parse);
    tcase_add_test(number, test_number_scale);
    suite_add_tcase(s, number);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(domain_xml_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
