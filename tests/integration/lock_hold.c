/* SPDX-License-Identifier: MIT */
/* lock_hold.c: a test helper that holds a write lock on a file until its stdin
 * closes. */
#define _GNU_SOURCE /* F_OFD_SETLK */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * lock_hold FILE posix|ofd: locks all of FILE for writing, with a POSIX
 * lock (F_SETLK, owned by this process) or an open file description one
 * (F_OFD_SETLK, as QEMU and pvhv take), prints "locked" and holds the
 * lock until standard input reaches its end. Exit 1 if it cannot.
 */
int main(int argc, char **argv)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    char buf[64];
    int fd, cmd;

    if (argc != 3 || (strcmp(argv[2], "posix") && strcmp(argv[2], "ofd"))) {
        fprintf(stderr, "usage: lock_hold FILE posix|ofd\n");
        return 2;
    }
    cmd = argv[2][0] == 'p' ? F_SETLK : F_OFD_SETLK;
    fd = open(argv[1], O_RDWR | O_CLOEXEC);
    if (fd < 0 || fcntl(fd, cmd, &fl) < 0) {
        fprintf(stderr, "lock_hold: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    printf("locked\n");
    fflush(stdout);
    while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
        ;
    return 0;
}
