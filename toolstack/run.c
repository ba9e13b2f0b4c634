/* SPDX-License-Identifier: MIT */
/* run.c: `pvctl run`: boot a domain from its XML file, stay until it ends. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uuid/uuid.h>

#include "libpvctl/domain_xml.h"
#include "pvctl.h"
#include "pvhv.h"

#define MAX_RESTARTS_DEFAULT 10

struct run_opts {
    bool quiet;
    bool stats;
    unsigned long max_restarts;
    enum pvhv_exec_mode exec_mode;
    const char *xml;
};

/* What one boot of the domain came to. */
struct boot {
    unsigned int id;
    struct pvhv_domain_result res;
};

enum { OPT_STATS = 0x100, OPT_MAX_RESTARTS, OPT_EXEC };

static const struct option run_options[] = {
    {"quiet", no_argument, NULL, 'q'},
    {"stats", no_argument, NULL, OPT_STATS},
    {"max-restarts", required_argument, NULL, OPT_MAX_RESTARTS},
    {"exec", required_argument, NULL, OPT_EXEC},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void run_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl run [OPTIONS] DOMAIN.xml\n"
        "\n"
        "Boot the domain that DOMAIN.xml describes and stay with it until it ends.\n"
        "Its console goes to standard output; pvctl's own lines go to standard error.\n"
        "When it powers off, reboots or crashes, pvctl acts as <on_poweroff>,\n"
        "<on_reboot> and <on_crash> say: destroy (end) or restart (boot it again).\n"
        "\n"
        "Options:\n"
        "  -q, --quiet           print no status lines, only errors and crash reports\n"
        "      --stats           print exit and hypercall counts when the domain ends\n"
        "      --max-restarts N  restart the domain at most N times (default %d)\n"
        "      --exec MODE       default, or native: run guest instructions at host\n"
        "                        speed where the host's KVM offers it (exits cost\n"
        "                        more); falls back to default where it does not\n"
        "  -h, --help            print this help and exit\n"
        "\n"
        "Exit status:\n"
        "  0  the domain powered off (or rebooted with on_reboot=destroy)\n"
        "  1  the domain crashed, or it would restart more than N times\n"
        "  2  usage error; invalid domain XML; its kernel file cannot be read\n"
        "  3  the domain could not be created or run: no usable /dev/kvm, a kernel\n"
        "     the hypervisor refused, or the domain schema is not installed\n",
        MAX_RESTARTS_DEFAULT);
}

static int parse_count(const char *s, unsigned long *out)
{
    char *end;

    errno = 0;
    if (s[0] < '0' || s[0] > '9')
        return -EINVAL;
    *out = strtoul(s, &end, 10);
    return errno || *end ? -EINVAL : 0;
}

/* parse_opts: returns 0, 1 when help was printed, -EINVAL (reported). */
static int parse_opts(int argc, char **argv, struct run_opts *o)
{
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", run_options, NULL)) != -1) {
        switch (c) {
        case 'q':
            o->quiet = true;
            break;
        case OPT_STATS:
            o->stats = true;
            break;
        case OPT_MAX_RESTARTS:
            if (parse_count(optarg, &o->max_restarts) == 0)
                break;
            fprintf(
                stderr,
                "%s: --max-restarts: '%s' is not a count; allowed: 0 or more\n",
                argv[0], optarg);
            return -EINVAL;
        case OPT_EXEC:
            if (strcmp(optarg, "default") == 0 || strcmp(optarg, "native") == 0) {
                o->exec_mode = optarg[0] == 'n' ? PVHV_EXEC_NATIVE
                                                : PVHV_EXEC_DEFAULT;
                break;
            }
            fprintf(stderr,
                    "%s: --exec: unknown mode '%s'; allowed: default, native\n",
                    argv[0], optarg);
            return -EINVAL;
        case 'h':
            run_usage(stdout);
            return 1;
        default:
            fprintf(stderr, "Try '%s --help'.\n", argv[0]);
            return -EINVAL;
        }
    }
    if (argc - optind != 1) {
        fprintf(
            stderr,
            "%s: %s; allowed: exactly one domain XML file\nTry '%s --help'.\n",
            argv[0],
            argc == optind ? "no domain XML file" : "too many arguments",
            argv[0]);
        return -EINVAL;
    }
    o->xml = argv[optind];
    return 0;
}

/* status: a pvctl status line on stderr, after the console's pending output. */
static void status(const struct run_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void status(const struct run_opts *o, const char *fmt, ...)
{
    va_list ap;

    if (o->quiet)
        return;
    fflush(stdout);
    va_start(ap, fmt);
    fputs("pvctl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* check_kernel: the kernel file exists, is readable and is a file. */
static int check_kernel(const char *xml, const struct domain_def *def)
{
    struct stat st;
    int fd = open(def->kernel, O_RDONLY | O_CLOEXEC);
    int ret = 0;

    if (fd < 0) {
        fprintf(stderr, "pvctl: %s:%u: <kernel>: cannot read '%s': %s\n", xml,
                def->kernel_line, def->kernel, strerror(errno));
        return -errno;
    }
    if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
        fprintf(
            stderr,
            "pvctl: %s:%u: <kernel>: '%s' is not a regular file; allowed: a PVH ELF kernel file\n",
            xml, def->kernel_line, def->kernel);
        ret = -EINVAL;
    }
    close(fd);
    return ret;
}

static void size_text(uint64_t bytes, char *buf, size_t len)
{
    if (bytes % (1ULL << 30) == 0)
        snprintf(buf, len, "%" PRIu64 " GiB", bytes >> 30);
    else if (bytes % (1ULL << 20) == 0)
        snprintf(buf, len, "%" PRIu64 " MiB", bytes >> 20);
    else
        snprintf(buf, len, "%" PRIu64 " KiB", bytes >> 10);
}

static void config_from(const struct run_opts *o, const struct domain_def *def,
                        struct pvhv_domain_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->name = def->name;
    memcpy(cfg->uuid, def->uuid, sizeof(cfg->uuid));
    cfg->memory = def->current_memory;
    cfg->vcpus = def->vcpus;
    cfg->kernel = def->kernel;
    cfg->cmdline = def->cmdline;
    cfg->console = NULL; /* the guest console streams to stdout */
    cfg->exec_mode = o->exec_mode;
}

/* boot_once: create, start and wait for the domain. Returns 0 or -errno. */
static int boot_once(struct pvhv *hv, const struct run_opts *o,
                     const struct domain_def *def, struct boot *b)
{
    struct pvhv_domain_config cfg;
    struct pvhv_error err = {""};
    struct domain *d = NULL;
    char size[32];
    int ret;

    config_from(o, def, &cfg);
    ret = pvhv_domain_create(hv, &cfg, &d, &err);
    if (ret) {
        fprintf(stderr, "pvctl: %s: %s\n", o->xml, err.msg);
        return ret;
    }
    b->id = pvhv_domain_id(d);
    size_text(def->current_memory, size, sizeof(size));
    status(o, "domain '%s' (id %u) starting: %u vCPU%s, %s, kernel %s",
           def->name, b->id, def->vcpus, def->vcpus == 1 ? "" : "s", size,
           def->kernel);
    ret = pvhv_domain_start(d, &err);
    if (ret)
        fprintf(stderr, "pvctl: %s: %s\n", o->xml, err.msg);
    else
        pvhv_domain_wait(d, &b->res);
    pvhv_domain_destroy(d);
    return ret;
}

static void report_crash(const struct domain_def *def, const struct boot *b)
{
    char regs[2048];

    fflush(stdout);
    fprintf(stderr, "pvctl: domain '%s' (id %u) crashed: %s\n", def->name,
            b->id,
            b->res.reason[0] ? b->res.reason : pvhv_end_name(b->res.end));
    if (!b->res.have_regs)
        return;
    pvhv_regs_format(&b->res.regs, regs, sizeof(regs));
    fprintf(stderr, "pvctl: vCPU %u registers:\n%s%s", b->res.vcpu, regs,
            regs[0] && regs[strlen(regs) - 1] == '\n' ? "" : "\n");
}

/*
 * decide: what to do after boot (b) ended: the action in (act), and the exit
 * status pvctl has if that action is destroy.
 */
static int decide(const struct run_opts *o, const struct domain_def *def,
                  const struct boot *b, enum domain_action *act)
{
    const char *end = pvhv_end_name(b->res.end);

    switch (b->res.end) {
    case PVHV_END_POWEROFF:
        status(o, "domain '%s' (id %u) powered off", def->name, b->id);
        *act = def->on_poweroff;
        return PVCTL_EXIT_OK;
    case PVHV_END_REBOOT:
    case PVHV_END_SOFT_RESET:
        status(o, "domain '%s' (id %u) ended: %s", def->name, b->id, end);
        *act = def->on_reboot;
        return PVCTL_EXIT_OK;
    case PVHV_END_CRASH:
    case PVHV_END_WATCHDOG:
        report_crash(def, b);
        *act = def->on_crash;
        return PVCTL_EXIT_CRASH;
    default:
        fprintf(
            stderr,
            "pvctl: domain '%s' (id %u) ended: %s, which pvctl run cannot resume\n",
            def->name, b->id, end);
        *act = DOMAIN_ACTION_DESTROY;
        return PVCTL_EXIT_CRASH;
    }
}

static void add_stats(struct pvhv_stats *total, const struct pvhv_stats *s)
{
    total->exits += s->exits;
    total->exits_io += s->exits_io;
    total->hypercalls += s->hypercalls;
    total->native = s->native;
}

static void print_stats(const struct run_opts *o, const struct domain_def *def,
                        const struct pvhv_stats *st, unsigned long boots)
{
    if (!o->stats)
        return;
    fflush(stdout);
    /* key=value, summed over all boots: easy to read for scripts too. */
    fprintf(stderr,
            "pvctl: domain '%s' stats: boots=%lu exits=%" PRIu64
            " io_exits=%" PRIu64 " hypercalls=%" PRIu64 " exec=%s\n",
            def->name, boots, st->exits, st->exits_io, st->hypercalls,
            st->native ? "native" : "default");
}

static int run_loop(struct pvhv *hv, const struct run_opts *o,
                    const struct domain_def *def)
{
    struct pvhv_stats total = {0};
    unsigned long boots;
    enum domain_action act;
    struct boot b;
    int code;

    for (boots = 1;; boots++) {
        memset(&b, 0, sizeof(b));
        if (boot_once(hv, o, def, &b))
            return PVCTL_EXIT_HOST;
        add_stats(&total, &b.res.stats);
        code = decide(o, def, &b, &act);
        if (act == DOMAIN_ACTION_DESTROY)
            break;
        if (boots > o->max_restarts) {
            fprintf(
                stderr,
                "pvctl: domain '%s' (id %u) not restarted: restart limit reached (--max-restarts %lu)\n",
                def->name, b.id, o->max_restarts);
            code = PVCTL_EXIT_CRASH;
            break;
        }
        status(o, "domain '%s' restarting (restart %lu of at most %lu)",
               def->name, boots, o->max_restarts);
    }
    print_stats(o, def, &total, boots);
    return code;
}

int run_cmd(int argc, char **argv)
{
    struct run_opts o = {.max_restarts = MAX_RESTARTS_DEFAULT};
    struct pvctl_error err = {""};
    struct pvhv_error herr = {""};
    struct domain_def *def;
    struct pvhv *hv;
    char uuid[37];
    int ret;

    ret = parse_opts(argc, argv, &o);
    if (ret)
        return ret > 0 ? PVCTL_EXIT_OK : PVCTL_EXIT_USAGE;
    def = malloc(sizeof(*def)); /* 12 KiB: not on the stack */
    if (!def) {
        fprintf(stderr, "pvctl: out of memory\n");
        return PVCTL_EXIT_HOST;
    }
    ret = domain_xml_load(o.xml, def, &err);
    if (ret) {
        fprintf(stderr, "pvctl: %s\n", err.msg);
        free(def);
        return ret == -ENOPKG || ret == -ENOMEM ? PVCTL_EXIT_HOST
                                                : PVCTL_EXIT_USAGE;
    }
    uuid_unparse_lower(def->uuid, uuid);
    if (def->uuid_generated)
        status(&o, "%s: no <uuid>: domain '%s' gets %s", o.xml, def->name,
               uuid);
    ret = check_kernel(o.xml, def) ? PVCTL_EXIT_USAGE : PVCTL_EXIT_OK;
    if (ret == PVCTL_EXIT_OK && pvhv_open(&hv, &herr) != 0) {
        fprintf(stderr, "pvctl: %s\n", herr.msg);
        ret = PVCTL_EXIT_HOST;
    } else if (ret == PVCTL_EXIT_OK) {
        ret = run_loop(hv, &o, def);
        pvhv_close(hv);
    }
    free(def);
    return ret;
}
