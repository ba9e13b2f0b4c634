/* SPDX-License-Identifier: MIT */
/*
 * init.c: the /init of check-linux's initramfs. Mounts devtmpfs (for
 * /dev/console: an initramfs packed without root holds no device nodes),
 * proc and sysfs, says it runs, loads /xen-blkfront.ko (Debian builds it
 * as a module), prints the size of xvda from sysfs once blkfront has
 * found the disk, then powers the domain off with reboot(2) (Linux's Xen
 * code makes that SCHEDOP_shutdown(poweroff)). Static: the initramfs
 * needs nothing else.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void say(const char *s)
{
    if (write(1, s, strlen(s)) < 0)
        return; /* no console: nothing else to tell it to */
}

static void console(void)
{
    int fd;

    mkdir("/dev", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    fd = open("/dev/console", O_RDWR);
    if (fd >= 0) {
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        if (fd > 2)
            close(fd);
    }
    mkdir("/proc", 0755);
    mount("proc", "/proc", "proc", 0, NULL);
    mkdir("/sys", 0755);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
}

/* disk: loads blkfront and waits up to 30 s for xvda to appear. */
static void disk(void)
{
    char line[128], buf[32];
    int fd = open("/xen-blkfront.ko", O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) != 0) {
        say("pvhv-check-linux: cannot load /xen-blkfront.ko\n");
        return;
    }
    close(fd);
    for (int i = 0; i < 300; i++) {
        fd = open("/sys/block/xvda/size", O_RDONLY);
        if (fd >= 0) {
            n = read(fd, buf, sizeof(buf) - 1);
            close(fd);
            buf[n > 0 ? n : 0] = '\0';
            buf[strcspn(buf, "\n")] = '\0';
            snprintf(line, sizeof(line), "pvhv-check-linux: xvda: %s sectors\n",
                     buf);
            say(line);
            return;
        }
        usleep(100000);
    }
    say("pvhv-check-linux: no xvda after 30 s\n");
}

int main(void)
{
    console();
    say("pvhv-check-linux: /init runs\n");
    disk();
    sync();
    reboot(RB_POWER_OFF);
    return 1;
}
