/* SPDX-License-Identifier: MIT */
/* create.c: `pvctl create DOMAIN.xml [-c] [-p]`: a domain in pvhvd. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "libpvctl/domain_files.h"
#include "libpvctl/domain_spec.h"
#include "pvctl.h"
#include "verbs.h"

void create_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl create [OPTIONS] DOMAIN.xml\n"
        "\n"
        "Create the domain DOMAIN.xml describes in the pvhv daemon (pvhvd) and\n"
        "return once it runs. pvctl opens its kernel and disk images and hands\n"
        "them to the daemon, which opens no path. The domain lives in the daemon\n"
        "until it ends as its <on_poweroff>, <on_reboot> and <on_crash> say.\n"
        "\n"
        "Options:\n"
        "  -c, --console     attach to its console, from its first byte (detach\n"
        "                    with Ctrl-])\n"
        "  -p, --paused      leave it paused ('pvctl unpause' runs it)\n"
        "      --exec MODE   default, or native (see pvctl run)\n"
        "  -h, --help        print this help and exit\n"
        "\n"
        "Exit status: 0 created; 2 usage or XML error; 3 the daemon could not\n"
        "create it; 6 refused (a domain of that name or UUID exists, ...);\n"
        "7 no daemon.\n");
}

static const struct option opts[] = {
    {"console", no_argument, NULL, 'c'},
    {"paused", no_argument, NULL, 'p'},
    {"exec", required_argument, NULL, 'x'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* load: the XML and its files; an exit status (said). */
static int load(const char *xml, struct domain_def *def,
                struct domain_files *files)
{
    struct pvctl_error err = {""};
    char uuid[37];
    int rc = domain_xml_load(xml, def, &err);

    if (rc == 0 && def->uuid_generated) {
        uuid_unparse_lower(def->uuid, uuid);
        fprintf(stderr, "pvctl: %s: no <uuid>: domain '%s' gets %s\n", xml,
                def->name, uuid);
    }
    if (rc == 0)
        rc = domain_files_open(xml, def, files, &err);
    if (rc == 0)
        return PVCTL_EXIT_OK;
    fprintf(stderr, "pvctl: %s\n", err.msg);
    return rc == -ENOMEM || rc == -EMFILE ? PVCTL_EXIT_HOST : PVCTL_EXIT_USAGE;
}

static int create(const char *prog, const char *xml, uint32_t flags,
                  uint8_t exec)
{
    struct domain_def *def = malloc(sizeof(*def));
    struct pvhv_control_create *spec = malloc(sizeof(*spec));
    struct pvctl_error err = {""};
    struct pvhv_control_domain d;
    struct domain_files files;
    struct pvctl_session *s = NULL;
    int fds[PVHV_CONTROL_FDS_MAX], code, rc;
    unsigned int nfds;

    domain_files_init(&files);
    code = def && spec ? load(xml, def, &files) : PVCTL_EXIT_HOST;
    if (code == PVCTL_EXIT_OK && !(s = verb_open(&code)))
        goto out;
    if (code != PVCTL_EXIT_OK)
        goto out;
    nfds = domain_spec_from(xml, def, &files, flags, exec, spec, fds);
    rc = pvctl_session_domain(s, PVHV_CONTROL_CREATE, spec, sizeof(*spec), fds,
                              nfds, &d, &err);
    domain_files_close(&files); /* the daemon holds its own now */
    code = verb_fail(prog, rc, &err);
    if (code == PVCTL_EXIT_OK && (flags & PVHV_CONTROL_CREATE_CONSOLE))
        code = verb_console(s, &d);
    else if (code == PVCTL_EXIT_OK)
        fprintf(stderr, "pvctl: domain '%s' (id %u) created%s\n", d.name,
                d.domid, flags & PVHV_CONTROL_CREATE_PAUSED ? ", paused" : "");
out:
    domain_files_close(&files);
    pvctl_session_close(s);
    free(spec);
    free(def);
    return code;
}

int create_cmd(int argc, char **argv)
{
    uint32_t flags = 0;
    uint8_t exec = PVHV_CONTROL_EXEC_DEFAULT;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "cph", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            flags |= PVHV_CONTROL_CREATE_CONSOLE;
            break;
        case 'p':
            flags |= PVHV_CONTROL_CREATE_PAUSED;
            break;
        case 'x':
            if (strcmp(optarg, "default") && strcmp(optarg, "native")) {
                fprintf(stderr,
                        "%s: --exec: unknown mode '%s'; allowed: "
                        "default, native\n",
                        argv[0], optarg);
                return PVCTL_EXIT_USAGE;
            }
            exec = optarg[0] == 'n' ? PVHV_CONTROL_EXEC_NATIVE
                                    : PVHV_CONTROL_EXEC_DEFAULT;
            break;
        case 'h':
            create_usage(stdout);
            return PVCTL_EXIT_OK;
        default:
            fprintf(stderr, "Try '%s --help'.\n", argv[0]);
            return PVCTL_EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr,
                "%s: %s; allowed: one domain XML file\nTry '%s "
                "--help'.\n",
                argv[0],
                argc == optind ? "no domain XML file" : "too many arguments",
                argv[0]);
        return PVCTL_EXIT_USAGE;
    }
    return create(argv[0], argv[optind], flags, exec);
}
