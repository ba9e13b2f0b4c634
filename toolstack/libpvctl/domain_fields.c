/* SPDX-License-Identifier: MIT */
/* domain_fields.c: check the values of a domain XML document. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uuid/uuid.h>

#include "domain_fields.h"
#include "number.h"
#include "pvabi/io/vbd.h"

#define NAME_ALLOWED                                                           \
    "1 to 63 characters among letters, digits, '_', '-', '.' and '+', not starting with '-' or '.'"
_Static_assert(DOMAIN_NAME_MAX == 63, "NAME_ALLOWED spells out 63");
#define UUID_ALLOWED                                                           \
    "32 hexadecimal digits grouped 8-4-4-4-12, e.g. c7a5fdb2-cdaf-9455-926a-d65c16db1809"
#define MEMORY_ALLOWED                                                         \
    "a whole number of KiB, or of the unit named by the unit attribute"
#define KERNEL_ALLOWED                                                         \
    "the path of a PVH ELF kernel, absolute or relative to the folder of the XML file"
#define ACTIONS_ALLOWED "destroy, restart, preserve"
#define SOURCE_ALLOWED                                                         \
    "the path of a raw disk image, absolute or relative to the folder of the XML file"
#define SOURCE_DEV_ALLOWED                                                     \
    "the path of a block device, absolute or relative to the folder of the XML file"
#define VDEV_ALLOWED                                                           \
    "xvd<letters>[<partition>] (xvda, xvdb1, xvdaa), hd<a-d>[<partition>], "   \
    "sd<a-p>[<partition>], d<disk>p<partition> or a device number (51712), "   \
    "at most 15 characters"
#define HVM_DISKS_MAX 2 /* an hvm domain's disks are ATA master and slave */

struct fields {
    const char *file;
    struct pvctl_error *err;
};

/* libvirt actions that pvctl knows but does not carry out. */
static const char *const unsupported_actions[] = {
    "rename-restart",
    "coredump-destroy",
    "coredump-restart",
};

/* libvirt disk types and devices that pvhv does not serve. */
static const char *const unsupported_disk_types[] = {
    "network", "dir", "volume", "nvme", "vhostuser",
};
static const char *const unsupported_disk_devices[] = {
    "cdrom",
    "floppy",
    "lun",
};

static unsigned int line_of(const xmlNode *n)
{
    long line = xmlGetLineNo(n);

    return line > 0 ? (unsigned int)line : 0;
}

static const xmlNode *child(const xmlNode *parent, const char *name)
{
    const xmlNode *n;

    for (n = parent ? parent->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE &&
            strcmp((const char *)n->name, name) == 0)
            return n;
    return NULL;
}

/* attr: the value of attribute (name) of (n), or NULL; free with xmlFree. */
static char *attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* attr_is: attribute (name) of (n) is there and is (value). */
static bool attr_is(const xmlNode *n, const char *name, const char *value)
{
    char *v = attr(n, name);
    bool is = v && strcmp(v, value) == 0;

    xmlFree(v);
    return is;
}

/*
 * text: the content of (n), without surrounding white space when (trim), so
 * that "<vcpu>\n  2\n</vcpu>" reads as "2". Free with xmlFree; NULL only
 * when out of memory.
 */
static char *text(const xmlNode *n, bool trim)
{
    char *s = (char *)xmlNodeGetContent(n);
    size_t len, start = 0;

    if (!s)
        s = (char *)xmlStrdup((const xmlChar *)"");
    if (!s || !trim)
        return s;
    len = strlen(s);
    while (len > 0 && strchr(" \t\r\n", s[len - 1]))
        s[--len] = '\0';
    while (start < len && strchr(" \t\r\n", s[start]))
        start++;
    memmove(s, s + start, len - start + 1);
    return s;
}

/*
 * fail: sets "file:line: <element>: message", the element written with
 * attribute (an) and its value when (an) is not NULL and (n) has it.
 * Returns -EINVAL.
 */
static int fail(const struct fields *f, const xmlNode *n, const char *an,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(const struct fields *f, const xmlNode *n, const char *an,
                const char *fmt, ...)
{
    char *v = an ? attr(n, an) : NULL;
    char msg[PVCTL_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (v)
        pvctl_error_set(f->err, "%s:%u: <%s %s='%s'>: %s", f->file, line_of(n),
                        n->name, an, v, msg);
    else
        pvctl_error_set(f->err, "%s:%u: <%s>: %s", f->file, line_of(n), n->name,
                        msg);
    xmlFree(v);
    return -EINVAL;
}

/* uint_in: parses (s), the text of (n) or of its attribute (an), in lo..hi. */
static int uint_in(const struct fields *f, const xmlNode *n, const char *an,
                   const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char range[64], why[128];

    if (lo == hi)
        snprintf(range, sizeof(range), "%" PRIu64, lo);
    else
        snprintf(range, sizeof(range), "%" PRIu64 " to %" PRIu64, lo, hi);
    if (number_parse_u64(s, out, why, sizeof(why)) < 0)
        return fail(f, n, an, "'%s' %s; allowed: %s", s, why, range);
    if (*out < lo || *out > hi)
        return fail(f, n, an, "'%s' is out of range; allowed: %s", s, range);
    return 0;
}

static bool name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
           c == '+';
}

static int check_name(const struct fields *f, const xmlNode *n, const char *s)
{
    size_t len = strlen(s), i;

    if (len == 0)
        return fail(f, n, NULL, "'' is empty; allowed: " NAME_ALLOWED);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (name_char(c))
            continue;
        if (c >= 0x20 && c < 0x7f)
            return fail(f, n, NULL,
                        "'%s' contains '%c'; allowed: " NAME_ALLOWED, s, c);
        return fail(f, n, NULL,
                    "'%s' contains byte 0x%02x; allowed: " NAME_ALLOWED, s, c);
    }
    if (s[0] == '-' || s[0] == '.')
        return fail(f, n, NULL, "'%s' starts with '%c'; allowed: " NAME_ALLOWED,
                    s, s[0]);
    if (len > DOMAIN_NAME_MAX)
        return fail(f, n, NULL,
                    "'%s' is too long (%zu characters); allowed: " NAME_ALLOWED,
                    s, len);
    return 0;
}

static int get_name(const struct fields *f, const xmlNode *root,
                    struct domain_def *def)
{
    const xmlNode *n = child(root, "name");
    char *s = text(n, false);
    int ret;

    if (!s)
        return -ENOMEM;
    ret = check_name(f, n, s);
    if (!ret)
        snprintf(def->name, sizeof(def->name), "%s", s);
    xmlFree(s);
    return ret;
}

static int get_uuid(const struct fields *f, const xmlNode *root,
                    struct domain_def *def)
{
    const xmlNode *n = child(root, "uuid");
    char *s;
    int ret = 0;

    def->uuid_generated = !n;
    if (!n) {
        uuid_generate_random(def->uuid);
        return 0;
    }
    s = text(n, true);
    if (!s)
        return -ENOMEM;
    if (uuid_parse(s, def->uuid) < 0)
        ret = fail(f, n, NULL, "'%s' is not a UUID; allowed: " UUID_ALLOWED, s);
    xmlFree(s);
    return ret;
}

/* memory_of: the size that (n) states, in bytes, exact (not yet rounded). */
static int memory_of(const struct fields *f, const xmlNode *n, uint64_t *bytes)
{
    char *s = text(n, true), *unit = attr(n, "unit");
    char why[128];
    uint64_t v = UINT64_MAX; /* what "too large" (-ERANGE) leaves */
    int ret;

    if (!s) {
        ret = -ENOMEM;
    } else if (number_scale_memory(0, unit, bytes) == -EINVAL) {
        ret = fail(f, n, "unit",
                   "unknown unit '%s'; allowed: " NUMBER_UNITS_ALLOWED, unit);
    } else if (number_parse_u64(s, &v, why, sizeof(why)) == -EINVAL) {
        ret = fail(f, n, "unit", "'%s' %s; allowed: " MEMORY_ALLOWED, s, why);
    } else if (number_scale_memory(v, unit, bytes) < 0 || *bytes == 0 ||
               *bytes > DOMAIN_MEMORY_MAX) {
        /* "too large" from number_parse_u64 lands here too. */
        ret = fail(f, n, "unit",
                   "'%s' is out of range; allowed: 1 byte to 1 TiB", s);
    } else {
        ret = 0;
    }
    xmlFree(s);
    xmlFree(unit);
    return ret;
}

static uint64_t page_round_up(uint64_t bytes)
{
    /* bytes <= 1 TiB: cannot overflow. */
    return (bytes + DOMAIN_PAGE_SIZE - 1) & ~(DOMAIN_PAGE_SIZE - 1);
}

static int get_memory(const struct fields *f, const xmlNode *root,
                      struct domain_def *def)
{
    const xmlNode *m = child(root, "memory");
    const xmlNode *c = child(root, "currentMemory");
    uint64_t mem, cur;
    int ret;

    ret = memory_of(f, m, &mem);
    if (ret)
        return ret;
    cur = mem;
    if (c) {
        ret = memory_of(f, c, &cur);
        if (ret)
            return ret;
        if (cur > mem)
            return fail(
                f, c, "unit",
                "%" PRIu64 " bytes is more than <memory> (%" PRIu64
                " bytes, line %u); allowed: at most the size of <memory>",
                cur, mem, line_of(m));
    }
    def->memory = page_round_up(mem);
    def->current_memory = page_round_up(cur);
    def->memory_line = line_of(m);
    def->current_memory_line = c ? line_of(c) : 0;
    return 0;
}

static int get_vcpu_attrs(const struct fields *f, const xmlNode *n,
                          struct domain_def *def)
{
    char *cur = attr(n, "current"), *placement = attr(n, "placement");
    uint64_t v = def->vcpus;
    int ret = 0;

    if (cur)
        ret = uint_in(f, n, "current", cur, 1, def->vcpus, &v);
    def->vcpus_current = (unsigned int)v;
    def->placement_auto = placement && strcmp(placement, "auto") == 0;
    if (!ret && placement && strcmp(placement, "static") != 0 &&
        !def->placement_auto)
        ret = fail(f, n, "placement",
                   "unknown placement '%s'; allowed: static, auto", placement);
    xmlFree(cur);
    xmlFree(placement);
    return ret;
}

static int get_vcpu(const struct fields *f, const xmlNode *root,
                    struct domain_def *def)
{
    const xmlNode *n = child(root, "vcpu");
    char *s;
    uint64_t v;
    int ret;

    if (!n) { /* libvirt's default: one vCPU */
        def->vcpus = def->vcpus_current = 1;
        return 0;
    }
    s = text(n, true);
    if (!s)
        return -ENOMEM;
    ret = uint_in(f, n, NULL, s, 1, PVHV_MAX_VCPUS, &v);
    xmlFree(s);
    if (ret)
        return ret;
    def->vcpus = (unsigned int)v;
    return get_vcpu_attrs(f, n, def);
}

/*
 * check_os_type: xenpvh (a PVH kernel on hypercalls and PV devices) or
 * hvm (the same kernels, or Multiboot ones, on emulated PC hardware only:
 * no hypercalls, see README "hvm domains"). (*hvm) says which.
 */
static int check_os_type(const struct fields *f, const xmlNode *t,
                         const char *s, bool *hvm)
{
    char *arch = attr(t, "arch"), *machine = attr(t, "machine");
    int ret = 0;

    *hvm = strcmp(s, "hvm") == 0;
    if (strcmp(s, "linux") == 0)
        ret = fail(f, t, NULL,
                   "'linux' (classic Xen PV) is not supported; allowed: "
                   "xenpvh, hvm");
    else if (!*hvm && strcmp(s, "xenpvh") != 0)
        ret =
            fail(f, t, NULL, "'%s' is not an OS type; allowed: xenpvh, hvm", s);
    else if (arch && strcmp(arch, "x86_64") != 0)
        ret =
            fail(f, t, "arch", "unsupported arch '%s'; allowed: x86_64", arch);
    else if (machine && strcmp(machine, *hvm ? "pc" : "xenpvh") != 0)
        ret = fail(f, t, "machine", "unsupported machine '%s'; allowed: %s",
                   machine, *hvm ? "pc" : "xenpvh");
    xmlFree(arch);
    xmlFree(machine);
    return ret;
}

/*
 * resolve: (rel), a <kernel> or <source file=''>, relative to the folder
 * of (file), made absolute so that messages and the hypervisor do not
 * depend on pvctl's working directory.
 * Returns 0, -ENAMETOOLONG, or -errno from getcwd.
 */
static int resolve(const char *file, const char *rel, char *out, size_t len)
{
    const char *slash = strrchr(file, '/');
    char cwd[DOMAIN_PATH_MAX] = "";
    int dirlen = slash ? (int)(slash - file) : 0;
    int n;

    if (rel[0] == '/') {
        n = snprintf(out, len, "%s", rel);
    } else {
        if (file[0] != '/' && !getcwd(cwd, sizeof(cwd)))
            return -errno;
        n = snprintf(out, len, "%s%s%.*s/%s", cwd, cwd[0] && dirlen ? "/" : "",
                     dirlen, file, rel);
    }
    return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* get_path: (s), the text of (n) or of its attribute (an), resolved. */
static int get_path(const struct fields *f, const xmlNode *n, const char *an,
                    const char *s, char out[DOMAIN_PATH_MAX])
{
    int ret = resolve(f->file, s, out, DOMAIN_PATH_MAX);

    if (ret == -ENAMETOOLONG)
        return fail(f, n, an,
                    "'%s' is too long once resolved; allowed: at most %d bytes",
                    s, DOMAIN_PATH_MAX - 1);
    if (ret)
        return fail(f, n, an,
                    "cannot resolve '%s' against the current folder: %s", s,
                    strerror(-ret));
    return 0;
}

static int get_kernel(const struct fields *f, const xmlNode *os,
                      struct domain_def *def)
{
    const xmlNode *k = child(os, "kernel");
    char *s = text(k, false);
    int ret;

    if (!s)
        return -ENOMEM;
    def->kernel_line = line_of(k);
    if (s[0] == '\0')
        ret = fail(f, k, NULL, "'' is empty; allowed: " KERNEL_ALLOWED);
    else
        ret = get_path(f, k, NULL, s, def->kernel);
    xmlFree(s);
    return ret;
}

/* get_initrd: the optional <initrd> (libvirt's), a path like <kernel>'s. */
static int get_initrd(const struct fields *f, const xmlNode *os,
                      struct domain_def *def)
{
    const xmlNode *k = child(os, "initrd");
    char *s;
    int ret;

    def->initrd[0] = '\0';
    if (!k)
        return 0;
    s = text(k, false);
    if (!s)
        return -ENOMEM;
    def->initrd_line = line_of(k);
    if (s[0] == '\0')
        ret = fail(f, k, NULL,
                   "'' is empty; allowed: the path of an initial ramdisk, "
                   "absolute or relative to the folder of the XML file");
    else
        ret = get_path(f, k, NULL, s, def->initrd);
    xmlFree(s);
    return ret;
}

static int get_cmdline(const struct fields *f, const xmlNode *os,
                       struct domain_def *def)
{
    const xmlNode *c = child(os, "cmdline");
    char *s;
    size_t len;
    int ret = 0;

    def->cmdline[0] = '\0';
    if (!c)
        return 0;
    s = text(c, false);
    if (!s)
        return -ENOMEM;
    len = strlen(s);
    if (len >= DOMAIN_CMDLINE_MAX)
        ret = fail(
            f, c, NULL,
            "'%.32s...' is too long (%zu bytes); allowed: at most %d bytes", s,
            len, DOMAIN_CMDLINE_MAX - 1);
    else
        memcpy(def->cmdline, s, len + 1);
    xmlFree(s);
    return ret;
}

static int get_os(const struct fields *f, const xmlNode *root,
                  struct domain_def *def)
{
    const xmlNode *os = child(root, "os");
    const xmlNode *t = child(os, "type");
    char *s = text(t, true);
    int ret;

    if (!s)
        return -ENOMEM;
    ret = check_os_type(f, t, s, &def->hvm);
    xmlFree(s);
    if (!ret)
        ret = get_kernel(f, os, def);
    if (!ret)
        ret = get_initrd(f, os, def);
    if (!ret)
        ret = get_cmdline(f, os, def);
    return ret;
}

const char *domain_action_name(enum domain_action action)
{
    switch (action) {
    case DOMAIN_ACTION_DESTROY:
        return "destroy";
    case DOMAIN_ACTION_RESTART:
        return "restart";
    case DOMAIN_ACTION_PRESERVE:
        return "preserve";
    }
    return "unknown";
}

static int action_of(const struct fields *f, const xmlNode *n, const char *s,
                     enum domain_action *out)
{
    size_t i;

    for (i = DOMAIN_ACTION_DESTROY; i <= DOMAIN_ACTION_PRESERVE; i++)
        if (strcmp(s, domain_action_name((enum domain_action)i)) == 0) {
            *out = (enum domain_action)i;
            return 0;
        }
    for (i = 0; i < sizeof(unsupported_actions) / sizeof(char *); i++)
        if (strcmp(s, unsupported_actions[i]) == 0)
            return fail(
                f, n, NULL,
                "'%s' is not supported by pvctl; allowed: " ACTIONS_ALLOWED, s);
    return fail(f, n, NULL, "'%s' is not an action; allowed: " ACTIONS_ALLOWED,
                s);
}

static int get_action(const struct fields *f, const xmlNode *root,
                      const char *name, enum domain_action dflt,
                      enum domain_action *out)
{
    const xmlNode *n = child(root, name);
    char *s;
    int ret;

    *out = dflt;
    if (!n)
        return 0;
    s = text(n, true);
    if (!s)
        return -ENOMEM;
    ret = action_of(f, n, s, out);
    xmlFree(s);
    return ret;
}

static int get_actions(const struct fields *f, const xmlNode *root,
                       struct domain_def *def)
{
    int ret;

    ret = get_action(f, root, "on_poweroff", DOMAIN_ACTION_DESTROY,
                     &def->on_poweroff);
    if (!ret)
        ret = get_action(f, root, "on_reboot", DOMAIN_ACTION_RESTART,
                         &def->on_reboot);
    if (!ret)
        ret = get_action(f, root, "on_crash", DOMAIN_ACTION_DESTROY,
                         &def->on_crash);
    return ret;
}

/* expect: attribute (an) of (n), when present, must equal (want). */
static int expect(const struct fields *f, const xmlNode *n, const char *an,
                  const char *what, const char *want)
{
    char *v = attr(n, an);
    int ret = 0;

    if (v && strcmp(v, want) != 0)
        ret = fail(f, n, an, "unsupported %s '%s'; allowed: %s", what, v, want);
    xmlFree(v);
    return ret;
}

/* attr_uint: attribute (an) of (n), when present, as a number in lo..hi. */
static int attr_uint(const struct fields *f, const xmlNode *n, const char *an,
                     uint64_t lo, uint64_t hi, unsigned int *out)
{
    char *v = attr(n, an);
    uint64_t u = 0;
    int ret = 0;

    if (v)
        ret = uint_in(f, n, an, v, lo, hi, &u);
    *out = (unsigned int)u;
    xmlFree(v);
    return ret;
}

static int get_console(const struct fields *f, const xmlNode *con,
                       struct domain_def *def)
{
    const xmlNode *t = child(con, "target");
    unsigned int port;
    int ret;

    ret = expect(f, con, "type", "console type", "pty");
    if (!ret && t)
        ret = expect(f, t, "type", "console target type", "xen");
    if (!ret && t)
        ret = attr_uint(f, t, "port", 0, 0, &port);
    def->console = true;
    return ret;
}

/*
 * one_of: attribute (an) of (n), when present, is (want); a value libvirt
 * knows, one of the (nknown) in (known), is "not supported", any other is
 * "not a (what)"; both say that (allowed) is.
 */
static int one_of(const struct fields *f, const xmlNode *n, const char *an,
                  const char *want, const char *allowed,
                  const char *const *known, size_t nknown, const char *what)
{
    char *v = attr(n, an);
    size_t i = 0;
    int ret = 0;

    if (v && strcmp(v, want) != 0) {
        while (i < nknown && strcmp(v, known[i]) != 0)
            i++;
        if (i < nknown)
            ret = fail(f, n, an, "'%s' is not supported; allowed: %s", v,
                       allowed);
        else
            ret = fail(f, n, an, "'%s' is not a %s; allowed: %s", v, what,
                       allowed);
    }
    xmlFree(v);
    return ret;
}

static int get_driver(const struct fields *f, const xmlNode *drv)
{
    char *type;
    int ret;

    if (!drv)
        return 0;
    ret = expect(f, drv, "name", "disk driver name", "qemu");
    type = attr(drv, "type");
    if (!ret && type && strcmp(type, "raw") != 0)
        ret = fail(
            f, drv, "type",
            "'%s' is not supported: pvhv serves raw images only; allowed: raw",
            type);
    xmlFree(type);
    return ret;
}

/*
 * check_source: the schema lets <source> hold what the other disk types use
 * (dev, file, protocol, name, <host>), so that such a disk is refused for
 * its type rather than for its source; a file disk has file='' only, a
 * block disk dev='' only: (an).
 */
static int check_source(const struct fields *f, const xmlNode *src,
                        const char *an)
{
    const xmlNode *kid;
    const xmlAttr *a;

    for (a = src->properties; a; a = a->next)
        if (strcmp((const char *)a->name, an) != 0)
            return fail(f, src, (const char *)a->name,
                        "unknown attribute '%s'; allowed: %s",
                        (const char *)a->name, an);
    for (kid = src->children; kid; kid = kid->next)
        if (kid->type == XML_ELEMENT_NODE)
            return fail(f, kid, NULL,
                        "unknown element inside <source>; allowed: none");
    if (!xmlHasProp(src, (const xmlChar *)an))
        return fail(f, src, NULL, "missing attribute '%s'; it is required", an);
    return 0;
}

/* get_source: <source file=''/>, or <source dev=''/> for a block disk. */
static int get_source(const struct fields *f, const xmlNode *src,
                      struct domain_disk *disk)
{
    const char *an = disk->block ? "dev" : "file";
    char *s;
    int ret;

    ret = check_source(f, src, an);
    if (ret)
        return ret;
    s = attr(src, an);
    if (!s)
        return -ENOMEM;
    disk->source_line = line_of(src);
    if (s[0] == '\0')
        ret = fail(f, src, an, "'' is empty; allowed: %s",
                   disk->block ? SOURCE_DEV_ALLOWED : SOURCE_ALLOWED);
    else
        ret = get_path(f, src, an, s, disk->path);
    xmlFree(s);
    return ret;
}

/* get_target: <target dev='...' bus='xen'/>, a name as libxl takes it
 * (pvabi/io/vbd.h), of a device no earlier disk is. */
static int get_target(const struct fields *f, const xmlNode *t,
                      const struct domain_def *def, struct domain_disk *disk)
{
    char *dev = attr(t, "dev");
    int32_t devid = -1;
    unsigned int i;
    int ret = 0;

    if (!dev)
        return -ENOMEM; /* the schema requires it */
    if (strlen(dev) < DOMAIN_VDEV_MAX)
        devid = pvabi_vbd_devid(dev);
    if (devid < 0)
        ret = fail(f, t, "dev",
                   "'%s' is not a Xen disk name; allowed: " VDEV_ALLOWED, dev);
    if (!ret)
        ret = expect(f, t, "bus", "disk bus", "xen");
    for (i = 0; !ret && i < def->nr_disks; i++)
        if (def->disks[i].devid == (uint32_t)devid)
            ret = fail(
                f, t, "dev",
                "'%s' is device %" PRId32
                ", as is '%s', the target of the disk at line %u; allowed: a different device for each disk",
                dev, devid, def->disks[i].vdev, def->disks[i].target_line);
    if (!ret) {
        snprintf(disk->vdev, sizeof(disk->vdev), "%s", dev);
        disk->devid = (uint32_t)devid;
        disk->target_line = line_of(t);
    }
    xmlFree(dev);
    return ret;
}

static int get_disk(const struct fields *f, const xmlNode *n,
                    struct domain_def *def)
{
    struct domain_disk *disk;
    int ret;

    if (def->nr_disks == DOMAIN_MAX_DISKS)
        return fail(f, n, NULL,
                    "disk %d is one too many; allowed: at most %d disks",
                    DOMAIN_MAX_DISKS + 1, DOMAIN_MAX_DISKS);
    disk = &def->disks[def->nr_disks];
    disk->block = attr_is(n, "type", "block");
    if (!disk->block)
        ret = one_of(
            f, n, "type", "file", "file, block", unsupported_disk_types,
            sizeof(unsupported_disk_types) / sizeof(char *), "disk type");
    else
        ret = 0;
    if (!ret)
        ret = one_of(f, n, "device", "disk", "disk", unsupported_disk_devices,
                     sizeof(unsupported_disk_devices) / sizeof(char *),
                     "disk device");
    if (!ret)
        ret = get_driver(f, child(n, "driver"));
    if (!ret)
        ret = get_source(f, child(n, "source"), disk);
    if (!ret)
        ret = get_target(f, child(n, "target"), def, disk);
    if (ret)
        return ret;
    disk->readonly = child(n, "readonly") != NULL;
    def->nr_disks++;
    return 0;
}

/* get_disks: every <disk> of <devices>, in document order. */
static int get_disks(const struct fields *f, const xmlNode *devices,
                     struct domain_def *def)
{
    const xmlNode *n;
    int ret = 0;

    for (n = devices ? devices->children : NULL; !ret && n; n = n->next)
        if (n->type == XML_ELEMENT_NODE &&
            strcmp((const char *)n->name, "disk") == 0)
            ret = get_disk(f, n, def);
    return ret;
}

static int get_devices(const struct fields *f, const xmlNode *root,
                       struct domain_def *def)
{
    const xmlNode *devices = child(root, "devices");
    const xmlNode *con = child(devices, "console");
    const xmlNode *ctl = child(devices, "controller");
    int ret = 0;

    if (con)
        ret = get_console(f, con, def);
    if (!ret && ctl)
        ret = expect(f, ctl, "type", "controller type", "xenbus");
    if (!ret && ctl)
        ret = attr_uint(f, ctl, "maxGrantFrames", 1, DOMAIN_MAX_GRANT_FRAMES,
                        &def->max_grant_frames);
    if (!ret && ctl)
        ret = attr_uint(f, ctl, "maxEventChannels", 1,
                        DOMAIN_MAX_EVENT_CHANNELS, &def->max_event_channels);
    def->xenbus = ctl != NULL;
    if (!ret)
        ret = get_disks(f, devices, def);
    return ret;
}

int domain_fields_extract(const xmlDoc *doc, const char *file,
                          struct domain_def *def, struct pvctl_error *err)
{
    const struct fields f = {file, err};
    const xmlNode *root = xmlDocGetRootElement(doc);
    int ret;

    memset(def, 0, sizeof(*def));
    ret = expect(&f, root, "type", "domain type", "xen");
    if (!ret)
        ret = get_name(&f, root, def);
    if (!ret)
        ret = get_uuid(&f, root, def);
    if (!ret)
        ret = get_memory(&f, root, def);
    if (!ret)
        ret = get_vcpu(&f, root, def);
    if (!ret)
        ret = get_os(&f, root, def);
    if (!ret)
        ret = get_actions(&f, root, def);
    if (!ret)
        ret = get_devices(&f, root, def);
    if (!ret && def->hvm && def->nr_disks > HVM_DISKS_MAX)
        ret = fail(&f, child(child(root, "os"), "type"), NULL,
                   "hvm domain with %u disks; allowed: at most %d (the ATA "
                   "primary channel's master and slave)",
                   def->nr_disks, HVM_DISKS_MAX);
    if (ret == -ENOMEM)
        pvctl_error_set(err, "%s: out of memory", file);
    return ret;
}
