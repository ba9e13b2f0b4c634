/* SPDX-License-Identifier: MIT */
/*
 * hvm_probe.c: a guest of an hvm domain checks that it sees a plain PC:
 * no Xen CPUID signature, a hypercall-page MSR that does nothing, no
 * hypercall port (it reads all ones); its console is COM1 (a 16550A,
 * polled). With echo=N it then reads N bytes of console input from the
 * UART and prints them back (polls=M: gives up after M LSR reads). It ends
 * through isa-debug-exit (0xf4), as under QEMU, after writing 1 and then 2
 * to the boot marker port. Entry: hw/hvm_entry.S
 * (PVH note, own long mode).
 */
#include <stddef.h>
#include <stdint.h>

#include <pvabi/pvhv.h>
#include <pvabi/start_info.h>

#include "../hw/hw.h"

#define INPUT_POLLS 200000 /* LSR reads before input is given up (polls=) */

int hvm_main(uint32_t start_info);
void hvm_exit(int code);

#define outb com1_outb
#define put com1_puts
#define put_hex com1_put_hex

void hvm_exit(int code)
{
    hw_exit_to(code);
}

/* echo: (n) bytes from the UART, printed back; 0 or 1 on a timeout. */
static int echo(unsigned long n, unsigned long limit)
{
    char line[64];
    unsigned long got = 0;

    if (n >= sizeof(line))
        n = sizeof(line) - 1;
    put("hvm_probe: waiting for input\n");
    for (unsigned long polls = 0; got < n && polls < limit; polls++) {
        int ch = com1_getc();

        if (ch >= 0)
            line[got++] = (char)ch;
    }
    line[got] = '\0';
    if (got < n)
        return hw_fail("console input did not come");
    put("hvm_probe: got '");
    put(line);
    put("'\n");
    return 0;
}

int hvm_main(uint32_t start_info)
{
    const char *cmdline = hw_cmdline(start_info);
    uint32_t a, b, c, d, port;
    unsigned long polls;

    com1_outb(PVHV_BOOT_MARKER_PORT, 1); /* the first instructions ran */
    com1_init();
    put("hvm_probe: COM1 up\n");
    __asm__ volatile("cpuid"
                     : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
                     : "a"(0x40000000), "c"(0));
    put("hvm_probe: cpuid 0x40000000 ebx ");
    put_hex(b);
    put("\n");
    /* "XenV" "MMXe" "nVMM" */
    if (b == 0x566e6558 && c == 0x65584d4d && d == 0x4d4d566e)
        return hw_fail("Xen's CPUID signature is there");
    /* The hypercall-page MSR: no fault, and the page stays as it was. */
    static volatile uint8_t page[4096] __attribute__((aligned(4096)));
    page[0] = 0x5a;
    __asm__ volatile("wrmsr"
                     :
                     : "c"(PVHV_HYPERCALL_MSR), "a"((uint32_t)(uintptr_t)page),
                       "d"(0)
                     : "memory");
    if (page[0] != 0x5a)
        return hw_fail("the hypercall MSR wrote a page");
    put("hvm_probe: hypercall MSR write did nothing\n");
    /* The hypercall port: nobody there. */
    __asm__ volatile("inl %1, %0" : "=a"(port) : "Nd"(PVHV_HYPERCALL_PORT));
    put("hvm_probe: hypercall port reads ");
    put_hex(port);
    put("\n");
    if (port != 0xffffffffu)
        return hw_fail("the hypercall port answered");
    polls = hw_option(cmdline, "polls", 0);
    if (hw_option(cmdline, "echo", 0) &&
        echo(hw_option(cmdline, "echo", 0), polls ? polls : INPUT_POLLS))
        return 1;
    com1_outb(PVHV_BOOT_MARKER_PORT, 2);
    put("SUCCESS\n");
    return 0;
}
