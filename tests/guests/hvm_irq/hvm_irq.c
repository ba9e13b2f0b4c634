/* SPDX-License-Identifier: MIT */
/*
 * hvm_irq.c: a guest of an hvm domain takes interrupts from the PC's
 * controllers: it fills an IDT, masks the 8259s, enables its LAPIC
 * (0xfee00000) and routes ISA lines 4 and 14 through the I/O APIC
 * (0xfec00000). Each part runs when its option is on the command line:
 *   timer=1  a one-shot LAPIC timer of TIMER_COUNT: the current count
 *            runs down, vector 0x40 comes once, the count is 0 then;
 *   uart=N   console input: IER.RDI and MCR.OUT2 set, it sleeps until
 *            N bytes came by IRQ 4 (vector 0x34), printing each
 *            interrupt and the bytes it drained;
 *   ata=1    READ SECTORS of sector 0 with nIEN clear: IRQ 14 (vector
 *            0x3e) comes with DRQ; then sector 1 with nIEN set, polled:
 *            no interrupt; prints both sectors' first bytes; then READ
 *            DMA of sector 1 (bus master at 0xc000): IRQ 14 at its end;
 *   rtc=1    the CMOS RTC's date (ports 0x70-0x71, BCD) once UIP is
 *            clear, and its register D;
 *   mp=1     the Intel MP tables: the floating pointer found in
 *            0xf0000-0xfffff, both checksums, the CPUs, the I/O APIC and
 *            where ISA IRQ 14 goes;
 *   bench=N  N one-shot timers of count=C (default 10000, 10 us), each
 *            armed and waited for (`sti; hlt`), between two boot-marker
 *            writes; prints "BENCH tsc <cycles>", the sum over all N of
 *            the TSC from arming to the handler (pvbench's timer row).
 * Console: COM1; end: isa-debug-exit, or with hold=1 (under QEMU, for
 * pvbench to read the vCPU's counters) a `cli; hlt` for good after
 * SUCCESS. Entry: hw/hvm_entry.S.
 */
#include <stddef.h>
#include <stdint.h>

#include <pvabi/pvhv.h>
#include <pvabi/start_info.h>

#include <pvabi/acpi.h>

#include "../hw/hw.h"
#include "../hw/irq.h"

#define VEC_TIMER 0x40
#define VEC_UART 0x34 /* ISA 4 */
#define VEC_ATA 0x3e  /* ISA 14 */
#define VEC_SPURIOUS 0xff
#define TIMER_COUNT 2000000u /* 2 ms at KVM's 1 GHz APIC bus, divide 1 */

int hvm_main(uint32_t start_info);
void hvm_exit(int code);
void irq_handler(uint64_t vector);

/* Written by the handlers. */
volatile uint32_t timer_fired;
volatile uint64_t timer_tsc;
static volatile unsigned int seen[256];
static volatile unsigned int uart_bytes;
static volatile char uart_buf[64];
static volatile uint8_t ata_status;

/*
 * The handlers. The timer's is the whole path the benchmark measures:
 * the TSC, a count, the EOI. The others save the caller-saved registers
 * (9 pushes keep the stack 16-byte aligned for the call) and call C.
 */
__asm__(".text\n"
        ".globl irq_timer_entry\n"
        "irq_timer_entry:\n"
        "    push %rax\n"
        "    push %rdx\n"
        "    rdtsc\n"
        "    movl %eax, timer_tsc(%rip)\n"
        "    movl %edx, timer_tsc+4(%rip)\n"
        "    incl timer_fired(%rip)\n"
        "    movl $0xfee000b0, %eax\n"
        "    movl $0, (%rax)\n"
        "    pop %rdx\n"
        "    pop %rax\n"
        "    iretq\n"
        ".macro irq_entry name, vec\n"
        ".globl \\name\n"
        "\\name:\n"
        "    push %rdi\n"
        "    push %rax\n"
        "    movl $\\vec, %edi\n"
        "    jmp irq_common\n"
        ".endm\n"
        "irq_entry irq_uart_entry, 0x34\n"
        "irq_entry irq_ata_entry, 0x3e\n"
        "irq_entry irq_spurious_entry, 0xff\n"
        "irq_common:\n"
        "    push %rcx\n"
        "    push %rdx\n"
        "    push %rsi\n"
        "    push %r8\n"
        "    push %r9\n"
        "    push %r10\n"
        "    push %r11\n"
        "    call irq_handler\n"
        "    pop %r11\n"
        "    pop %r10\n"
        "    pop %r9\n"
        "    pop %r8\n"
        "    pop %rsi\n"
        "    pop %rdx\n"
        "    pop %rcx\n"
        "    pop %rax\n"
        "    pop %rdi\n"
        "    iretq\n");

extern const char irq_timer_entry[], irq_uart_entry[], irq_ata_entry[],
    irq_spurious_entry[];

#define outb com1_outb
#define inb com1_inb
#define put com1_puts

void hvm_exit(int code)
{
    hw_exit_to(code);
}

void irq_handler(uint64_t vector)
{
    seen[vector & 0xff]++;
    if (vector == VEC_UART) {
        while ((inb(COM1 + 5) & COM1_LSR_DR)) {
            char c = (char)inb(COM1);

            if (uart_bytes < sizeof(uart_buf) - 1)
                uart_buf[uart_bytes++] = c;
        }
    } else if (vector == VEC_ATA) {
        ata_status = inb(0x1f7); /* acknowledges: INTRQ goes down */
    }
    if (vector != VEC_SPURIOUS)
        hw_lapic_eoi();
}

/* setup: gates, APICs, the LAPIC timer one-shot, ISA 4 and 14 routed. */
static void setup(void)
{
    hw_set_gate(VEC_TIMER, irq_timer_entry);
    hw_set_gate(VEC_UART, irq_uart_entry);
    hw_set_gate(VEC_ATA, irq_ata_entry);
    hw_set_gate(VEC_SPURIOUS, irq_spurious_entry);
    hw_irq_setup(VEC_SPURIOUS);
    mmio_write(LAPIC_BASE + LAPIC_TDCR, 0xb);            /* divide by 1 */
    mmio_write(LAPIC_BASE + LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot */
    hw_ioapic_route(4, VEC_UART);
    hw_ioapic_route(14, VEC_ATA);
}

static int timer_test(void)
{
    uint32_t left, after;
    uint64_t t0;

    t0 = hw_rdtsc();
    mmio_write(LAPIC_BASE + LAPIC_TMICT, TIMER_COUNT);
    left = mmio_read(LAPIC_BASE + LAPIC_TMCCT);
    if (left == 0 || left > TIMER_COUNT)
        return hw_fail("the LAPIC timer's current count is not running down");
    while (!timer_fired)
        hw_sleep();
    after = mmio_read(LAPIC_BASE + LAPIC_TMCCT);
    put("hvm_irq: timer vector 0x40 fired ");
    hw_put_dec(timer_fired);
    put(" time(s), count ");
    hw_put_dec(TIMER_COUNT);
    put(" read ");
    hw_put_dec(left);
    put(" then ");
    hw_put_dec(after);
    put(", ");
    hw_put_dec((unsigned long)(timer_tsc - t0));
    put(" TSC cycles\n");
    if (after != 0 || timer_fired != 1 || timer_tsc <= t0)
        return hw_fail("the one-shot timer did not stop after firing once");
    return 0;
}

static int uart_test(unsigned long n)
{
    unsigned int irqs = 0;

    if (n >= sizeof(uart_buf))
        n = sizeof(uart_buf) - 1;
    outb(COM1 + 4, 0x0b); /* DTR, RTS, OUT2: the line reaches the PIC */
    outb(COM1 + 1, 0x01); /* IER: received data available */
    put("hvm_irq: waiting for input\n");
    while (uart_bytes < n) {
        hw_sleep();
        if (seen[VEC_UART] == irqs)
            continue;
        irqs = seen[VEC_UART];
        put("hvm_irq: uart irq ");
        hw_put_dec(irqs);
        put(": ");
        hw_put_dec(uart_bytes);
        put(" bytes\n");
    }
    outb(COM1 + 1, 0);
    uart_buf[uart_bytes] = '\0';
    put("hvm_irq: got '");
    put((const char *)uart_buf);
    put("' in ");
    hw_put_dec(seen[VEC_UART]);
    put(" interrupts\n");
    return 0;
}

/* ata_read: READ SECTORS of (lba) into (buf): by IRQ 14 or, if (polled),
 * with nIEN set, by the alternate status. The status seen with DRQ. */
static uint8_t ata_read(uint32_t lba, uint16_t *buf, int polled)
{
    uint64_t words = 256;
    uint8_t st;

    outb(0x3f6, polled ? 0x02 : 0x00);
    outb(0x1f6, (uint8_t)(0xe0 | (lba >> 24)));
    outb(0x1f2, 1);
    outb(0x1f3, (uint8_t)lba);
    outb(0x1f4, (uint8_t)(lba >> 8));
    outb(0x1f5, (uint8_t)(lba >> 16));
    outb(0x1f7, 0x20);
    if (polled) {
        for (int i = 0; i < 1000 && !((st = inb(0x3f6)) & 0x08); i++)
            ;
    } else {
        unsigned int before = seen[VEC_ATA];

        while (seen[VEC_ATA] == before)
            hw_sleep();
        st = ata_status;
    }
    if (st & 0x08)
        __asm__ volatile("rep insw"
                         : "+D"(buf), "+c"(words)
                         : "d"((uint16_t)0x1f0)
                         : "memory");
    return st;
}

/* ata_dma: READ DMA of sector (lba) into (buf) (in one PRD), waited for
 * by IRQ 14, which comes at completion; the bus master's status then. */
static uint8_t ata_dma(uint32_t lba, void *buf)
{
    static uint32_t prd[2] __attribute__((aligned(8)));
    unsigned int before = seen[VEC_ATA];
    uint8_t bm;

    prd[0] = (uint32_t)(uintptr_t)buf;
    prd[1] = 0x80000000u | 512; /* EOT, 512 bytes */
    __asm__ volatile("outl %0, %1"
                     :
                     : "a"((uint32_t)(uintptr_t)prd), "Nd"((uint16_t)0xc004)
                     : "memory");
    outb(0xc002, 0x06); /* clear error and interrupt */
    outb(0xc000, 0x08); /* to memory */
    outb(0x3f6, 0x00);  /* nIEN clear */
    outb(0x1f6, (uint8_t)(0xe0 | (lba >> 24)));
    outb(0x1f2, 1);
    outb(0x1f3, (uint8_t)lba);
    outb(0x1f4, (uint8_t)(lba >> 8));
    outb(0x1f5, (uint8_t)(lba >> 16));
    outb(0x1f7, 0xc8);  /* READ DMA */
    outb(0xc000, 0x09); /* START */
    while (seen[VEC_ATA] == before)
        hw_sleep();
    bm = inb(0xc002);
    outb(0xc000, 0);
    outb(0xc002, 0x04);
    return bm;
}

static int ata_test(void)
{
    static uint16_t sec[2][256];
    uint8_t st[2];
    unsigned int irqs;

    st[0] = ata_read(0, sec[0], 0);
    irqs = seen[VEC_ATA];
    st[1] = ata_read(1, sec[1], 1);
    (void)inb(0x1f7);
    put("hvm_irq: ata irq 14 (vector 0x3e) ");
    hw_put_dec(seen[VEC_ATA]);
    put(" time(s), status ");
    com1_put_hex(st[0]);
    put(" then polled ");
    com1_put_hex(st[1]);
    put("\n");
    for (int i = 0; i < 2; i++) {
        char text[9];

        for (int k = 0; k < 8; k++)
            text[k] = ((const char *)sec[i])[k];
        text[8] = '\0';
        put(i ? "hvm_irq: sector 1 says " : "hvm_irq: sector 0 says ");
        put(text);
        put("\n");
    }
    if (irqs != 1 || seen[VEC_ATA] != 1)
        return hw_fail("IRQ 14 did not come exactly once (by the interrupt-"
                       "driven read only)");
    if (!(st[0] & 0x08) || !(st[1] & 0x08))
        return hw_fail("a read did not reach DRQ");
    /* By DMA: IRQ 14 at completion, status without DRQ or BSY. */
    st[0] = ata_dma(1, sec[0]);
    put("hvm_irq: ata DMA irq 14: ");
    hw_put_dec(seen[VEC_ATA]);
    put(" time(s), bus master ");
    com1_put_hex(st[0]);
    put(", status ");
    com1_put_hex(ata_status);
    put(", sector 1 says ");
    for (int k = 0; k < 8; k++)
        com1_putc(((const char *)sec[0])[k]);
    put("\n");
    if (seen[VEC_ATA] != 2 || (st[0] & 0x07) != 0x04 || ata_status != 0x50)
        return hw_fail("the DMA read did not interrupt at completion");
    return 0;
}

static uint8_t cmos(uint8_t idx)
{
    outb(0x70, idx);
    return inb(0x71);
}

static void put_bcd(uint8_t v)
{
    com1_putc((char)('0' + (v >> 4)));
    com1_putc((char)('0' + (v & 15)));
}

static int rtc_test(void)
{
    uint8_t d;

    while (cmos(0x0a) & 0x80) /* UIP: an update is about to happen */
        ;
    put("hvm_irq: rtc ");
    put_bcd(cmos(0x32));
    put_bcd(cmos(0x09));
    put("-");
    put_bcd(cmos(0x08));
    put("-");
    put_bcd(cmos(0x07));
    d = cmos(0x0d);
    put(", register D ");
    hw_put_dec(d);
    put("\n");
    return d == 0x80 ? 0 : hw_fail("RTC register D lacks VRT");
}

static uint8_t sum8(const uint8_t *p, unsigned int len)
{
    uint8_t s = 0;

    while (len--)
        s = (uint8_t)(s + *p++);
    return s;
}

static int mp_test(void)
{
    const uint8_t *mpf = NULL, *hdr, *p, *end;
    unsigned int cpus = 0, ints = 0, ioapic_id = 0, pin14 = 0xff;
    uint32_t ioapic = 0;

    for (uintptr_t a = 0xf0000; a < 0x100000 && !mpf; a += 16) {
        const uint8_t *q = (const uint8_t *)a;

        if (q[0] == '_' && q[1] == 'M' && q[2] == 'P' && q[3] == '_' &&
            !sum8(q, 16))
            mpf = q;
    }
    if (!mpf)
        return hw_fail("no MP floating pointer in 0xf0000-0xfffff");
    hdr = (const uint8_t *)(uintptr_t) * (const uint32_t *)(mpf + 4);
    end = hdr + *(const uint16_t *)(hdr + 4);
    if (hdr[0] != 'P' || hdr[1] != 'C' || hdr[2] != 'M' || hdr[3] != 'P' ||
        sum8(hdr, (unsigned int)(end - hdr)))
        return hw_fail("the MP configuration table is bad");
    for (p = hdr + 44; p < end; p += p[0] == 0 ? 20 : 8) {
        if (p[0] == 0)
            cpus++;
        else if (p[0] == 2)
            ioapic_id = p[1], ioapic = *(const uint32_t *)(p + 4);
        else if (p[0] == 3 && ++ints && p[5] == 14)
            pin14 = p[7];
    }
    put("hvm_irq: MP table at ");
    com1_put_hex((uint32_t)(uintptr_t)mpf);
    put(": ");
    hw_put_dec(cpus);
    put(" CPU(s), I/O APIC id ");
    hw_put_dec(ioapic_id);
    put(" at ");
    com1_put_hex(ioapic);
    put(", ");
    hw_put_dec(ints);
    put(" ISA interrupts, IRQ 14 on pin ");
    hw_put_dec(pin14);
    put("\n");
    return 0;
}

/* acpi_test: the RSDP by the BIOS-area scan (and the start info's, when
 * given), XSDT, then the MADT: a LAPIC per CPU, the I/O APIC. */
static int acpi_test(uint32_t start_info)
{
    const struct hvm_start_info *si =
        (const struct hvm_start_info *)(uintptr_t)start_info;
    const struct acpi_rsdp *rsdp = NULL;
    const struct acpi_xsdt *xsdt;
    const uint8_t *madt = NULL, *p, *end;
    unsigned int lapics = 0, n;
    uint32_t ioapic = 0;

    for (uintptr_t a = 0xe0000; a < 0x100000 && !rsdp; a += 16) {
        const uint8_t *q = (const uint8_t *)a;

        if (q[0] == 'R' && q[1] == 'S' && q[2] == 'D' && q[3] == ' ' &&
            q[4] == 'P' && q[5] == 'T' && q[6] == 'R' && q[7] == ' ' &&
            !sum8(q, ACPI_RSDP_CHECKSUM_LEN) && !sum8(q, 36))
            rsdp = (const struct acpi_rsdp *)q;
    }
    if (!rsdp)
        return hw_fail("no ACPI RSDP in 0xe0000-0xfffff");
    if (si->magic == XEN_HVM_START_MAGIC_VALUE &&
        si->rsdp_paddr != (uint64_t)(uintptr_t)rsdp)
        return hw_fail("hvm_start_info.rsdp_paddr is not the RSDP found");
    xsdt = (const struct acpi_xsdt *)(uintptr_t)rsdp->xsdt_address;
    if (sum8((const uint8_t *)xsdt, xsdt->h.length))
        return hw_fail("the XSDT's checksum is bad");
    n = (xsdt->h.length - sizeof(xsdt->h)) / 8;
    for (unsigned int i = 0; i < n && !madt; i++) {
        const uint8_t *t = (const uint8_t *)(uintptr_t)xsdt->entry[i];

        if (t[0] == 'A' && t[1] == 'P' && t[2] == 'I' && t[3] == 'C')
            madt = t;
    }
    if (!madt || sum8(madt, ((const struct acpi_table_header *)madt)->length))
        return hw_fail("no MADT, or a bad one");
    end = madt + ((const struct acpi_table_header *)madt)->length;
    for (p = madt + sizeof(struct acpi_madt); p + 2 <= end && p[1]; p += p[1])
        if (p[0] == ACPI_MADT_TYPE_LOCAL_APIC)
            lapics++;
        else if (p[0] == ACPI_MADT_TYPE_IO_APIC)
            ioapic = *(const uint32_t *)(p + 4);
    put("hvm_irq: ACPI RSDP at ");
    com1_put_hex((uint32_t)(uintptr_t)rsdp);
    put(", MADT: ");
    hw_put_dec(lapics);
    put(" local APIC(s), I/O APIC at ");
    com1_put_hex(ioapic);
    put(((const struct acpi_madt *)madt)->flags & ACPI_MADT_PCAT_COMPAT
            ? ", 8259s\n"
            : "\n");
    return 0;
}

static void bench(unsigned long n, uint32_t count)
{
    uint64_t total = 0;

    outb(PVHV_BOOT_MARKER_PORT, 2);
    for (unsigned long i = 0; i < n; i++) {
        uint32_t before = timer_fired;
        uint64_t t0 = hw_rdtsc();

        mmio_write(LAPIC_BASE + LAPIC_TMICT, count);
        while (timer_fired == before)
            hw_sleep();
        total += timer_tsc - t0;
    }
    outb(PVHV_BOOT_MARKER_PORT, 3);
    put("BENCH tsc ");
    hw_put_dec(total);
    put("\n");
}

int hvm_main(uint32_t start_info)
{
    const char *cmdline = hw_cmdline(start_info);
    unsigned long n;

    n = hw_option(cmdline, "bench", 0);
    if (!n) /* a benchmark's two marker writes frame its loop only */
        com1_outb(PVHV_BOOT_MARKER_PORT, 1);
    com1_init();
    setup();
    put("hvm_irq: LAPIC id ");
    hw_put_dec(mmio_read(LAPIC_BASE + LAPIC_ID) >> 24);
    put(" enabled\n");
    if (hw_option(cmdline, "timer", 0) && timer_test())
        return 1;
    if (hw_option(cmdline, "uart", 0) &&
        uart_test(hw_option(cmdline, "uart", 0)))
        return 1;
    if (hw_option(cmdline, "ata", 0) && ata_test())
        return 1;
    if (hw_option(cmdline, "rtc", 0) && rtc_test())
        return 1;
    if (hw_option(cmdline, "mp", 0) && mp_test())
        return 1;
    if (hw_option(cmdline, "acpi", 0) && acpi_test(start_info))
        return 1;
    if (n)
        bench(n, (uint32_t)hw_option(cmdline, "count", 10000));
    if (seen[VEC_SPURIOUS]) {
        put("hvm_irq: spurious interrupts: ");
        hw_put_dec(seen[VEC_SPURIOUS]);
        put("\n");
    }
    put("SUCCESS\n");
    while (hw_option(cmdline, "hold", 0))
        __asm__ volatile("cli; hlt" : : : "memory");
    return 0;
}
