/* SPDX-License-Identifier: MIT */
/* domain_spec.c: a domain's XML and files as a create request. */
#include <stdio.h>
#include <string.h>

#include "domain_spec.h"

_Static_assert(DOMAIN_ACTION_PRESERVE == PVHV_CONTROL_ACTION_PRESERVE &&
                   DOMAIN_ACTION_RESTART == PVHV_CONTROL_ACTION_RESTART &&
                   DOMAIN_ACTION_DESTROY == PVHV_CONTROL_ACTION_DESTROY,
               "one set of action numbers");
_Static_assert(DOMAIN_MAX_DISKS == PVHV_CONTROL_DISKS_MAX, "one disk limit");

/* copy: (src) into (dst) of (size) bytes, cut to fit, NUL-terminated. */
static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

unsigned int domain_spec_from(const char *xml, const struct domain_def *def,
                              const struct domain_files *files, uint32_t flags,
                              uint8_t exec_mode,
                              struct pvhv_control_create *out, int *fds)
{
    memset(out, 0, sizeof(*out));
    copy(out->name, sizeof(out->name), def->name);
    memcpy(out->uuid, def->uuid, 16);
    out->memory = def->memory;
    out->target_memory = def->current_memory;
    out->vcpus = def->vcpus;
    out->flags = flags | (def->hvm ? PVHV_CONTROL_CREATE_HVM : 0);
    out->on_poweroff = (uint8_t)def->on_poweroff;
    out->on_reboot = (uint8_t)def->on_reboot;
    out->on_crash = (uint8_t)def->on_crash;
    out->exec_mode = exec_mode;
    out->max_grant_frames = def->max_grant_frames;
    out->max_event_channels = def->max_event_channels;
    out->nr_disks = def->nr_disks;
    copy(out->xml, sizeof(out->xml), xml);
    copy(out->kernel, sizeof(out->kernel), def->kernel);
    copy(out->cmdline, sizeof(out->cmdline), def->cmdline);
    fds[0] = files->kernel;
    for (unsigned int i = 0; i < def->nr_disks; i++) {
        struct pvhv_control_disk *k = &out->disks[i];

        copy(k->vdev, sizeof(k->vdev), def->disks[i].vdev);
        copy(k->path, sizeof(k->path), def->disks[i].path);
        k->readonly = def->disks[i].readonly;
        k->block = def->disks[i].block;
        fds[1 + i] = files->disks[i];
    }
    if (files->initrd < 0)
        return 1 + def->nr_disks;
    copy(out->initrd, sizeof(out->initrd), def->initrd);
    fds[1 + def->nr_disks] = files->initrd;
    return 2 + def->nr_disks;
}
