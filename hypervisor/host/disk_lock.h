/* SPDX-License-Identifier: MIT */
/* disk_lock.h: disk images locked for the domains that use them. */
#ifndef PVHV_HOST_DISK_LOCK_H
#define PVHV_HOST_DISK_LOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

struct pvhv_error;
struct disk_lock;

/*
 * Two users of one image interleave their writes unseen, so a disk is
 * locked as QEMU locks its images: an open file description lock
 * (F_OFD_SETLK) on the whole file, a write lock for a writable disk, a
 * read lock for a read-only one. Such locks are per open file
 * description, so they conflict between processes and between two
 * opens in one process alike, but F_OFD_GETLK names no holder: this
 * module also keeps a process-wide table of who holds what, by device
 * and inode, so that a refusal can name the domain and disk in the way.
 * The table also catches one open file description given twice, which
 * the kernel would let lock twice.
 */

/* Who takes a lock, for the table and for messages. */
struct disk_lock_owner {
    const char *domain; /* the domain's name */
    uint16_t domid;
    const char *vdev;  /* its name for the disk: "xvda", ... */
    const char *image; /* the image, as the caller named it */
};

/*
 * disk_lock_take: locks the image open at (fd) (fstat'ed into (st)) for
 * (who): a write lock, or a read lock when (readonly). Refuses an image
 * a disk in this process holds for writing, or holds at all when
 * (readonly) is false, naming that domain and vdev; or one that another
 * process has locked in a conflicting way, with what F_OFD_GETLK tells
 * of that lock. Where the file system has no such locks (ENOLCK,
 * EINVAL, EOPNOTSUPP) it warns once per disk and goes on unlocked.
 * Returns 0 and the holding in (*out), or -EBUSY / -errno with (err)
 * saying why.
 */
int disk_lock_take(int fd, const struct stat *st, bool readonly,
                   const struct disk_lock_owner *who, struct disk_lock **out,
                   struct pvhv_error *err);

/*
 * disk_lock_drop: unlocks (F_UNLCK) and forgets (l), before the caller
 * closes its descriptor: another descriptor of the same open file
 * description (the caller's) would otherwise keep the lock. NULL is fine.
 */
void disk_lock_drop(struct disk_lock *l);

#endif /* PVHV_HOST_DISK_LOCK_H */
