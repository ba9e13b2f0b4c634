/* SPDX-License-Identifier: MIT */
/* disk_lock.c: disk images locked for the domains that use them. */
#define _GNU_SOURCE /* F_OFD_SETLK, F_OFD_GETLK */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/disk_lock.h"
#include "core/log.h"
#include "core/error.h"

/* One disk holding its image; listed in (table) while it does. */
struct disk_lock {
    struct disk_lock *next;
    dev_t dev; /* the image: st_dev and st_ino, or st_rdev of a */
    ino_t ino; /* block device (ino 0), which several nodes reach */
    int fd;
    bool readonly;
    bool locked; /* the kernel holds our lock (not so on a file
                  * system without OFD locks) */
    uint16_t domid;
    char domain[64];
    char vdev[16];
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct disk_lock *table;

static void identify(const struct stat *st, dev_t *dev, ino_t *ino)
{
    *dev = S_ISBLK(st->st_mode) ? st->st_rdev : st->st_dev;
    *ino = S_ISBLK(st->st_mode) ? 0 : st->st_ino;
}

/* A holder in the way: any for a writer, a writer for a reader. */
static const struct disk_lock *in_table(dev_t dev, ino_t ino, bool readonly)
{
    for (const struct disk_lock *l = table; l; l = l->next)
        if (l->dev == dev && l->ino == ino && (!readonly || !l->readonly))
            return l;
    return NULL;
}

static int refuse_held(const struct disk_lock *l,
                       const struct disk_lock_owner *who,
                       struct pvhv_error *err)
{
    pvhv_error_set(
        err,
        "disk %s (%s): image in use by domain '%s' (id %u) as %s, %s; "
        "allowed: one domain writing an image, or any number reading it "
        "read-only",
        who->image, who->vdev, l->domain, l->domid, l->vdev,
        l->readonly ? "read-only" : "writable");
    return -EBUSY;
}

/* The bytes a conflicting lock covers, for a person. */
static void range_text(const struct flock *fl, char *buf, size_t len)
{
    if (fl->l_start == 0 && fl->l_len == 0)
        snprintf(buf, len, "the whole file");
    else if (fl->l_len == 0)
        snprintf(buf, len, "bytes %lld to the end", (long long)fl->l_start);
    else
        snprintf(buf, len, "bytes %lld to %lld", (long long)fl->l_start,
                 (long long)(fl->l_start + fl->l_len - 1));
}

/*
 * Another process (or another open of the file here, outside the table)
 * locked it: say what F_OFD_GETLK tells. It reports a POSIX lock's pid,
 * and -1 for an open file description lock, whose holder it cannot name.
 * Returns 1 when the lock went away meanwhile (try again), else -EBUSY.
 */
static int refuse_locked(int fd, bool readonly,
                         const struct disk_lock_owner *who,
                         struct pvhv_error *err)
{
    struct flock fl = {.l_type = readonly ? F_RDLCK : F_WRLCK,
                       .l_whence = SEEK_SET};
    char range[64], holder[96];

    if (fcntl(fd, F_OFD_GETLK, &fl) < 0) {
        pvhv_error_set(
            err, "disk %s (%s): locked by another process (F_OFD_GETLK: %s)",
            who->image, who->vdev, strerror(errno));
        return -EBUSY;
    }
    if (fl.l_type == F_UNLCK)
        return 1;
    range_text(&fl, range, sizeof(range));
    if (fl.l_pid > 0)
        snprintf(holder, sizeof(holder), "process %d holds a POSIX %s lock",
                 (int)fl.l_pid, fl.l_type == F_WRLCK ? "write" : "read");
    else
        snprintf(holder, sizeof(holder),
                 "another process holds an open file description %s lock "
                 "(whose, the kernel does not say)",
                 fl.l_type == F_WRLCK ? "write" : "read");
    pvhv_error_set(err,
                   "disk %s (%s): image locked by another process: %s on %s; "
                   "allowed: an image no other program uses %s",
                   who->image, who->vdev, holder, range,
                   readonly ? "for writing" : "at all");
    return -EBUSY;
}

/* The kernel's lock; 0 also when the file system has none (warned). */
static int lock_fd(struct disk_lock *l, const struct disk_lock_owner *who,
                   struct pvhv_error *err)
{
    for (int tries = 0; tries < 3; tries++) {
        struct flock fl = {.l_type = l->readonly ? F_RDLCK : F_WRLCK,
                           .l_whence = SEEK_SET};
        int rc;

        if (fcntl(l->fd, F_OFD_SETLK, &fl) == 0) {
            l->locked = true;
            return 0;
        }
        if (errno == ENOLCK || errno == EINVAL || errno == EOPNOTSUPP) {
            pr_warn("disk %s (%s) of domain '%s': not locked (%s): other "
                    "programs are not kept from writing it",
                    who->image, who->vdev, who->domain, strerror(errno));
            return 0;
        }
        if (errno != EAGAIN && errno != EACCES) {
            pvhv_error_set(err, "disk %s (%s): cannot lock: %s", who->image,
                           who->vdev, strerror(errno));
            return -errno;
        }
        rc = refuse_locked(l->fd, l->readonly, who, err);
        if (rc < 0)
            return rc;
    }
    pvhv_error_set(err,
                   "disk %s (%s): image locked and unlocked by another process "
                   "while pvhv tried to lock it",
                   who->image, who->vdev);
    return -EBUSY;
}

int disk_lock_take(int fd, const struct stat *st, bool readonly,
                   const struct disk_lock_owner *who, struct disk_lock **out,
                   struct pvhv_error *err)
{
    struct disk_lock *l = calloc(1, sizeof(*l));
    const struct disk_lock *held;
    int rc;

    if (!l) {
        pvhv_error_set(err, "disk %s: out of memory", who->image);
        return -ENOMEM;
    }
    identify(st, &l->dev, &l->ino);
    l->fd = fd;
    l->readonly = readonly;
    l->domid = who->domid;
    snprintf(l->domain, sizeof(l->domain), "%s", who->domain);
    snprintf(l->vdev, sizeof(l->vdev), "%s", who->vdev);
    /* Check and lock under one hold of the table: no twin slips in. */
    pthread_mutex_lock(&table_lock);
    held = in_table(l->dev, l->ino, readonly);
    rc = held ? refuse_held(held, who, err) : lock_fd(l, who, err);
    if (rc == 0) {
        l->next = table;
        table = l;
    }
    pthread_mutex_unlock(&table_lock);
    if (rc < 0) {
        free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void disk_lock_drop(struct disk_lock *l)
{
    struct flock fl = {.l_type = F_UNLCK, .l_whence = SEEK_SET};

    if (!l)
        return;
    pthread_mutex_lock(&table_lock);
    for (struct disk_lock **p = &table; *p; p = &(*p)->next)
        if (*p == l) {
            *p = l->next;
            break;
        }
    if (l->locked && fcntl(l->fd, F_OFD_SETLK, &fl) < 0)
        pr_warn("disk of domain '%s' (%s): cannot unlock: %s", l->domain,
                l->vdev, strerror(errno));
    pthread_mutex_unlock(&table_lock);
    free(l);
}
