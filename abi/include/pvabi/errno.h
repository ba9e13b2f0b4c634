/* SPDX-License-Identifier: MIT */
/* errno.h: the error values hypercalls return, negated (Xen's numbering). */
#ifndef PVABI_ERRNO_H
#define PVABI_ERRNO_H

/*
 * A hypercall returns 0 or a positive result on success and -XEN_Exxx on
 * failure. The numbers are Xen's (xen/include/public/errno.h), which equal
 * Linux's on x86 for every value listed here.
 */
#define XEN_EPERM 1  /* operation not permitted (e.g. guest CPL != 0) */
#define XEN_ENOENT 2 /* no such entry */
#define XEN_ESRCH 3  /* no such domain */
#define XEN_EIO 5
#define XEN_ENXIO 6
#define XEN_E2BIG 7
#define XEN_ENOEXEC 8
#define XEN_EBADF 9
#define XEN_ECHILD 10
#define XEN_EAGAIN 11 /* try again */
#define XEN_ENOMEM 12 /* out of memory */
#define XEN_EACCES 13 /* permission denied */
#define XEN_EFAULT 14 /* bad guest address */
#define XEN_EBUSY 16  /* resource busy */
#define XEN_EEXIST 17 /* already exists */
#define XEN_EXDEV 18
#define XEN_ENODEV 19 /* no such device */
#define XEN_EISDIR 21
#define XEN_EINVAL 22 /* invalid argument */
#define XEN_ENFILE 23
#define XEN_EMFILE 24
#define XEN_ENOSPC 28 /* no space left (ports, grants, ...) */
#define XEN_EROFS 30
#define XEN_EMLINK 31
#define XEN_EDOM 33
#define XEN_ERANGE 34
#define XEN_EDEADLK 35
#define XEN_ENAMETOOLONG 36
#define XEN_ENOLCK 37
#define XEN_ENOSYS 38 /* hypercall or sub-op not implemented */
#define XEN_ENOTEMPTY 39
#define XEN_ENODATA 61
#define XEN_ETIME 62
#define XEN_EBADMSG 74
#define XEN_EOVERFLOW 75
#define XEN_EILSEQ 84
#define XEN_ENOTSOCK 88
#define XEN_EMSGSIZE 90
#define XEN_EOPNOTSUPP 95 /* operation not supported */
#define XEN_EADDRINUSE 98
#define XEN_EADDRNOTAVAIL 99
#define XEN_ENOBUFS 105
#define XEN_EISCONN 106
#define XEN_ENOTCONN 107
#define XEN_ETIMEDOUT 110
#define XEN_ECONNREFUSED 111

#endif /* PVABI_ERRNO_H */
