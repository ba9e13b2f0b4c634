/* SPDX-License-Identifier: MIT */
/* run.c: `pvctl run`: its options; boot domains from XML files to the end. */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uuid/uuid.h>

#include "libpvctl/domain_files.h"
#include "libpvctl/domain_xml.h"
#include "libpvctl/host.h"
#include "pvctl.h"
#include "pvhv.h"
#include "run.h"

#define MAX_RESTARTS_DEFAULT 10
#define GRACE_DEFAULT 10 /* seconds, as xl shutdown -w would wait */
#define GRACE_MAX 86400  /* a day */
#define DOMAINS_MAX 256  /* per pvctl run */

enum { OPT_STATS = 0x100, OPT_MAX_RESTARTS, OPT_EXEC, OPT_GRACE, OPT_XS };

static const struct option run_options[] = {
    {"quiet", no_argument, NULL, 'q'},
    {"stats", no_argument, NULL, OPT_STATS},
    {"max-restarts", required_argument, NULL, OPT_MAX_RESTARTS},
    {"exec", required_argument, NULL, OPT_EXEC},
    {"grace", required_argument, NULL, OPT_GRACE},
    {"xenstore-socket", required_argument, NULL, OPT_XS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void run_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl run [OPTIONS] DOMAIN.xml [DOMAIN.xml...]\n"
        "\n"
        "Boot the domains that the DOMAIN.xml files describe, in order, in one\n"
        "hypervisor, and stay with them until all have ended.\n"
        "Their consoles go to standard output, each line prefixed with 'name| '\n"
        "when there is more than one domain; pvctl's own lines go to standard error.\n"
        "When a domain powers off, reboots or crashes, pvctl acts as its <on_poweroff>,\n"
        "<on_reboot> and <on_crash> say: destroy (end) or restart (boot it again).\n"
        "At the end, one line per domain says how it ended.\n"
        "\n"
        "Each kernel and disk image is opened once, before any domain is made, and\n"
        "the domains get those open files at every boot; a disk image is locked\n"
        "while a domain uses it (one writer, or readers only). A domain whose memory\n"
        "is more than the host has available now gets a warning; more than its RAM\n"
        "and swap together is refused. pvctl raises its open file limit\n"
        "(RLIMIT_NOFILE) to the hard limit.\n"
        "\n"
        "Kernels call the hypervisor through its hypercall page, or (Linux since\n"
        "6.1.121) with VMCALL/VMMCALL, which only a host whose KVM has Xen support\n"
        "(KVM_CAP_XEN_HVM) passes on; --stats says which this host does, and pvctl\n"
        "warns once when it boots a Linux kernel on a host without it.\n"
        "\n"
        "SIGINT or SIGTERM asks every domain to power off (XenStore control/shutdown)\n"
        "and destroys those still running after the grace period; a second signal\n"
        "destroys them at once. Domains ended so are not restarted.\n"
        "\n"
        "Options:\n"
        "  -q, --quiet           print no status or summary lines, only errors, crash\n"
        "                        reports and what is done on a signal\n"
        "      --stats           print the host's VMCALL support at the start, exit\n"
        "                        and hypercall counts when a domain ends, and\n"
        "                        pvctl's peak memory (RSS) at the end\n"
        "      --max-restarts N  restart each domain at most N times (default %d)\n"
        "      --exec MODE       default, or native: run guest instructions at host\n"
        "                        speed where the host's KVM offers it (exits cost\n"
        "                        more) and a self-test proves it; else runs in the\n"
        "                        default mode and says why\n"
        "      --grace SECONDS   after a signal, wait this long for the domains to\n"
        "                        power off before destroying them (default %d;\n"
        "                        0 destroys at once)\n"
        "      --xenstore-socket PATH\n"
        "                        serve the XenStore on a UNIX socket at PATH while\n"
        "                        the domains run (for xenstore-read and friends,\n"
        "                        with XENSTORED_PATH=PATH)\n"
        "  -h, --help            print this help and exit\n"
        "\n"
        "Exit status (with several domains, the first of 3, 1, 4, 0 that applies):\n"
        "  0  every domain powered off (or rebooted with on_reboot=destroy)\n"
        "  1  a domain crashed, or it would restart more than N times\n"
        "  2  usage error; invalid domain XML, or not a regular file; a kernel file\n"
        "     cannot be read or is not a regular file; a disk image cannot be read\n"
        "     (or written, without <readonly/>) or is not a regular file (a block\n"
        "     device, for <disk type='block'>); a domain's memory is more than the\n"
        "     host's RAM and swap; two files name the same domain\n"
        "  3  a domain could not be created or run: no usable /dev/kvm, a kernel\n"
        "     the hypervisor refused, a disk image another domain or program holds\n"
        "     (locked), too many open files, the domain schema is not installed,\n"
        "     or the XenStore socket cannot be made; the other domains are ended\n"
        "  4  interrupted: after a signal, a domain did not stop in time and was\n"
        "     destroyed\n",
        MAX_RESTARTS_DEFAULT, GRACE_DEFAULT);
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

/* parse_value: --grace (0 to GRACE_MAX) and --max-restarts; -EINVAL. */
static int parse_value(const char *prog, int opt, const char *arg,
                       struct run_opts *o)
{
    if (opt == OPT_MAX_RESTARTS && parse_count(arg, &o->max_restarts) == 0)
        return 0;
    if (opt == OPT_MAX_RESTARTS) {
        fprintf(stderr,
                "%s: --max-restarts: '%s' is not a count; allowed: 0 or more\n",
                prog, arg);
        return -EINVAL;
    }
    if (parse_count(arg, &o->grace) == 0 && o->grace <= GRACE_MAX)
        return 0;
    fprintf(stderr,
            "%s: --grace: '%s' is not a number of seconds; allowed: 0 to %d\n",
            prog, arg, GRACE_MAX);
    return -EINVAL;
}

static int parse_exec(const char *prog, const char *arg, struct run_opts *o)
{
    if (strcmp(arg, "default") == 0 || strcmp(arg, "native") == 0) {
        o->exec_mode = arg[0] == 'n' ? PVHV_EXEC_NATIVE : PVHV_EXEC_DEFAULT;
        return 0;
    }
    fprintf(stderr, "%s: --exec: unknown mode '%s'; allowed: default, native\n",
            prog, arg);
    return -EINVAL;
}

/* parse_opts: returns 0, 1 when help was printed, -EINVAL (reported). */
static int parse_opts(int argc, char **argv, struct run_opts *o)
{
    int c, ret = 0;

    optind = 1;
    while (ret == 0 &&
           (c = getopt_long(argc, argv, "qh", run_options, NULL)) != -1) {
        switch (c) {
        case 'q':
            o->quiet = true;
            break;
        case OPT_STATS:
            o->stats = true;
            break;
        case OPT_MAX_RESTARTS:
        case OPT_GRACE:
            ret = parse_value(argv[0], c, optarg, o);
            break;
        case OPT_EXEC:
            ret = parse_exec(argv[0], optarg, o);
            break;
        case OPT_XS:
            o->xenstore_socket = optarg;
            break;
        case 'h':
            run_usage(stdout);
            return 1;
        default:
            fprintf(stderr, "Try '%s --help'.\n", argv[0]);
            return -EINVAL;
        }
    }
    if (ret)
        return ret;
    if (argc == optind || argc - optind > DOMAINS_MAX) {
        fprintf(stderr,
                "%s: %s; allowed: 1 to %d domain XML files\nTry '%s --help'.\n",
                argv[0],
                argc == optind ? "no domain XML file"
                               : "too many domain XML files",
                DOMAINS_MAX, argv[0]);
        return -EINVAL;
    }
    o->xmls = argv + optind;
    o->nxml = (size_t)(argc - optind);
    return 0;
}

/* host_short: (ret) is the host's shortage (memory, descriptors), not the
 * input's. */
static bool host_short(int ret)
{
    return ret == -ENOMEM || ret == -EMFILE || ret == -ENFILE;
}

/*
 * check_memory: the domain's RAM against the host's: what cannot fit even
 * with all RAM and swap is refused, naming the element and the host's
 * figures; what exceeds the memory available now is run, with a warning
 * (it costs only what the guest touches). Returns an exit status.
 */
static int check_memory(const char *xml, const struct domain_def *def)
{
    const char *el = def->current_memory_line ? "currentMemory" : "memory";
    unsigned int line =
        def->current_memory_line ? def->current_memory_line : def->memory_line;
    char want[32], total[32], swap[32], avail[32];
    struct host_memory hm;

    if (host_memory_read(&hm) != 0)
        return PVCTL_EXIT_OK; /* no /proc/meminfo: nothing to compare */
    host_size_text(def->current_memory, want, sizeof(want));
    host_size_text(hm.total, total, sizeof(total));
    host_size_text(hm.swap, swap, sizeof(swap));
    host_size_text(hm.available, avail, sizeof(avail));
    if (def->current_memory > hm.total + hm.swap) {
        fprintf(
            stderr,
            "pvctl: %s:%u: <%s>: %s is more than this host has: %s of RAM and %s of swap; allowed: at most %s\n",
            xml, line, el, want, total, swap,
            host_size_text(hm.total + hm.swap, avail, sizeof(avail)));
        return PVCTL_EXIT_USAGE;
    }
    if (def->current_memory > hm.available)
        fprintf(
            stderr,
            "pvctl: %s:%u: <%s>: warning: %s is more than the host has available now (%s of its %s of RAM); the host may run short if the guest uses it all\n",
            xml, line, el, want, avail, total);
    return PVCTL_EXIT_OK;
}

/*
 * load_one: reads and checks one domain XML file and opens its files, once,
 * into (files); returns an exit status.
 */
static int load_one(const struct run_opts *o, const char *xml,
                    struct domain_def *def, struct domain_files *files)
{
    struct pvctl_error err = {""};
    char uuid[37];
    int ret;

    ret = domain_xml_load(xml, def, &err);
    if (ret) {
        fprintf(stderr, "pvctl: %s\n", err.msg);
        return ret == -ENOPKG || host_short(ret) ? PVCTL_EXIT_HOST
                                                 : PVCTL_EXIT_USAGE;
    }
    uuid_unparse_lower(def->uuid, uuid);
    if (def->uuid_generated && !o->quiet)
        fprintf(stderr, "pvctl: %s: no <uuid>: domain '%s' gets %s\n", xml,
                def->name, uuid);
    ret = check_memory(xml, def);
    if (ret)
        return ret;
    ret = domain_files_open(xml, def, files, &err);
    if (ret) {
        fprintf(stderr, "pvctl: %s\n", err.msg);
        return host_short(ret) ? PVCTL_EXIT_HOST : PVCTL_EXIT_USAGE;
    }
    return PVCTL_EXIT_OK;
}

/* check_unique: no two files describe the same domain; an exit status. */
static int check_unique(const struct run_opts *o, struct domain_def **defs)
{
    char uuid[37];
    size_t i, j;

    for (i = 0; i < o->nxml; i++)
        for (j = 0; j < i; j++) {
            if (strcmp(defs[i]->name, defs[j]->name) == 0) {
                fprintf(
                    stderr,
                    "pvctl: %s and %s both describe domain '%s'; allowed: one file per domain name\n",
                    o->xmls[j], o->xmls[i], defs[i]->name);
                return PVCTL_EXIT_USAGE;
            }
            if (memcmp(defs[i]->uuid, defs[j]->uuid, 16) == 0) {
                uuid_unparse_lower(defs[i]->uuid, uuid);
                fprintf(
                    stderr,
                    "pvctl: %s and %s both give <uuid> %s; allowed: one domain per UUID\n",
                    o->xmls[j], o->xmls[i], uuid);
                return PVCTL_EXIT_USAGE;
            }
        }
    return PVCTL_EXIT_OK;
}

/*
 * load_all: every file, in order; an exit status. (defs) and (files) have
 * o->nxml; the files are initialised, none open.
 */
static int load_all(const struct run_opts *o, struct domain_def **defs,
                    struct domain_files *files)
{
    size_t i;
    int ret;

    for (i = 0; i < o->nxml; i++) {
        defs[i] = malloc(sizeof(*defs[i])); /* 80 KiB: not on the stack */
        if (!defs[i]) {
            fprintf(stderr, "pvctl: out of memory\n");
            return PVCTL_EXIT_HOST;
        }
        ret = load_one(o, o->xmls[i], defs[i], &files[i]);
        if (ret)
            return ret;
    }
    return check_unique(o, defs);
}

/*
 * check_socket_path: (path) is free or a socket (a stale one is replaced);
 * anything else there is the user's and stays. Returns 0 or -EEXIST.
 */
static int check_socket_path(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0 || S_ISSOCK(st.st_mode))
        return 0;
    fprintf(
        stderr,
        "pvctl: --xenstore-socket %s: exists and is not a socket; allowed: a new path, or a socket no server listens on\n",
        path);
    return -EEXIST;
}

/* open_hv: the hypervisor and its XenStore socket; an exit status. */
static int open_hv(const struct run_opts *o, struct pvhv **hv)
{
    struct pvhv_error err = {""};
    const char *path = o->xenstore_socket;

    if (path && check_socket_path(path) != 0)
        return PVCTL_EXIT_HOST;
    if (pvhv_open(hv, &err) != 0) {
        host_note_fd_limit(0, err.msg, sizeof(err.msg));
        fprintf(stderr, "pvctl: %s\n", err.msg);
        return PVCTL_EXIT_HOST;
    }
    if (o->stats)
        fprintf(stderr, "pvctl: stats: host: %s\n",
                pvhv_vmcall_hypercalls(*hv)
                    ? "VMCALL hypercalls are passed to pvhv (KVM_CAP_XEN_HVM)"
                    : PVHV_NO_VMCALL);
    if (o->exec_mode == PVHV_EXEC_NATIVE) {
        struct pvhv_native_status st;
        pvhv_native_status(*hv, &st);
        if (!st.usable)
            fprintf(
                stderr,
                "pvctl: native execution unavailable on this host: %s; running emulated\n",
                st.why);
    }
    if (path && pvhv_xenstore_socket(*hv, path, &err) != 0) {
        /* The message names the path unless the hypervisor's did. */
        fprintf(stderr, "pvctl: --xenstore-socket %s%s%s\n",
                strstr(err.msg, path) ? "" : path,
                strstr(err.msg, path) ? "" : ": ", err.msg);
        pvhv_close(*hv);
        return PVCTL_EXIT_HOST;
    }
    return PVCTL_EXIT_OK;
}

/* rank: how bad an exit status is, for worse(). */
static int rank(int code)
{
    switch (code) {
    case PVCTL_EXIT_OK:
        return 0;
    case PVCTL_EXIT_INTERRUPTED:
        return 1;
    case PVCTL_EXIT_CRASH:
        return 2;
    default: /* PVCTL_EXIT_HOST, PVCTL_EXIT_USAGE */
        return 3;
    }
}

/* worse: the exit status that wins: 3 (host), 1 (crash), 4, then 0. */
static int worse(int a, int b)
{
    return rank(b) > rank(a) ? b : a;
}

/* summary: the last lines, one per domain, and the exit status. */
static int summary(const struct run_opts *o, struct run_domain *rds, size_t n,
                   int code)
{
    struct rusage ru;
    size_t i;

    fflush(stdout);
    for (i = 0; i < n; i++) {
        code = worse(code, mdom_code(rds[i].md));
        if (!o->quiet && mdom_summary(rds[i].md)[0])
            fprintf(stderr, "pvctl: %s (id %u): %s\n", rds[i].def->name,
                    mdom_id(rds[i].md), mdom_summary(rds[i].md));
    }
    /* The hypervisor lives in this process: its peak is pvctl's. */
    if (o->stats && getrusage(RUSAGE_SELF, &ru) == 0)
        fprintf(stderr, "pvctl: stats: peak_rss_kib=%ld\n", ru.ru_maxrss);
    return code;
}

/*
 * run_all: creates every domain in order (so that nothing runs when one
 * cannot be made), starts them, waits for their ends; an exit status.
 */
static int run_all(struct run_session *rs, struct run_domain *rds, size_t n,
                   int sig_fd, int done_fd)
{
    int code = PVCTL_EXIT_OK;
    size_t i, started;

    if (run_domains_create(rs, rds, n) != 0)
        return PVCTL_EXIT_HOST; /* run_session_close frees those made */
    for (started = 0; started < n; started++)
        if (run_domain_start(rs, &rds[started]) != 0)
            break;
    if (started < n) { /* those running are ended; the rest never start */
        code = PVCTL_EXIT_HOST;
        for (i = 0; i < started; i++)
            run_domain_destroy(&rds[i]);
    }
    if (started > 0)
        run_signal_wait(rs->o, rds, started, sig_fd, done_fd);
    return summary(rs->o, rds, started, code);
}

/* run_defs: runs the loaded domains (defs), with their (files). */
static int run_defs(const struct run_opts *o, struct domain_def **defs,
                    const struct domain_files *files)
{
    struct run_session rs = {0};
    struct run_domain *rds;
    int ret, sig_fd, done[2];
    char why[256];
    struct pvhv *hv;
    size_t i, n = 0;

    /* Before the hypervisor starts any thread: they all inherit it. */
    sig_fd = run_signal_block();
    if (sig_fd < 0) {
        fprintf(stderr, "pvctl: cannot watch signals: %s\n",
                host_strerror(-sig_fd, why, sizeof(why)));
        return PVCTL_EXIT_HOST;
    }
    ret = PVCTL_EXIT_HOST;
    rds = calloc(o->nxml, sizeof(*rds));
    if (!rds || pipe2(done, O_CLOEXEC) != 0) {
        fprintf(stderr, "pvctl: %s\n",
                host_strerror(rds ? errno : ENOMEM, why, sizeof(why)));
        goto out_rds;
    }
    ret = open_hv(o, &hv);
    if (ret)
        goto out_pipe;
    ret = PVCTL_EXIT_HOST;
    if (run_session_open(&rs, o, hv, done[1]) != 0) {
        fprintf(stderr, "pvctl: out of memory\n");
        goto out_hv;
    }
    for (n = 0; n < o->nxml; n++) {
        rds[n] =
            (struct run_domain){o->xmls[n], defs[n], &files[n], NULL, NULL};
        if (o->nxml > 1 &&
            !(rds[n].console = calloc(1, sizeof(struct run_console)))) {
            fprintf(stderr, "pvctl: out of memory\n");
            goto out_domains;
        }
        if (rds[n].console)
            rds[n].console->name = defs[n]->name;
    }
    ret = run_all(&rs, rds, n, sig_fd, done[0]);
out_domains:
    run_session_close(&rs);
    for (i = 0; i < n; i++)
        free(rds[i].console);
out_hv:
    pvhv_close(hv);
out_pipe:
    close(done[0]);
    close(done[1]);
out_rds:
    free(rds);
    close(sig_fd);
    return ret;
}

int run_cmd(int argc, char **argv)
{
    struct run_opts o = {
        .max_restarts = MAX_RESTARTS_DEFAULT,
        .grace = GRACE_DEFAULT,
    };
    struct domain_files *files;
    struct domain_def **defs;
    size_t i;
    int ret;

    ret = parse_opts(argc, argv, &o);
    if (ret)
        return ret > 0 ? PVCTL_EXIT_OK : PVCTL_EXIT_USAGE;
    defs = calloc(o.nxml, sizeof(*defs));
    files = calloc(o.nxml, sizeof(*files));
    if (!defs || !files) {
        fprintf(stderr, "pvctl: out of memory\n");
        free(defs);
        free(files);
        return PVCTL_EXIT_HOST;
    }
    for (i = 0; i < o.nxml; i++)
        domain_files_init(&files[i]);
    ret = load_all(&o, defs, files);
    if (ret == PVCTL_EXIT_OK)
        ret = run_defs(&o, defs, files);
    for (i = 0; i < o.nxml; i++) {
        domain_files_close(&files[i]);
        free(defs[i]);
    }
    free(files);
    free(defs);
    return ret;
}
