/* SPDX-License-Identifier: MIT */
/* check_io.c: a domain's port and MMIO table, its lookups and its policy. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/domain.h"
#include "core/exits.h"
#include "core/io.h"
#include "domain_fixture.h"
#include "core/platform.h"
#include "emulated/emulated.h"
#include "fake_platform.h"
#include "pvabi/pvhv.h"

#define RAM_SIZE (1ULL << 20)
#define HPET 0xfed00000ULL

static struct domain *d;
static struct vcpu *v;

/* What the recording handler saw, last access first. */
static struct seen {
    unsigned int calls;
    uint64_t addr;
    unsigned int len;
    bool is_write;
    void *opaque;
    uint8_t last[8];
} seen;

/* record: serves every access, reads as 0x5a, remembering what it got. */
static bool record(struct vcpu *vc, uint64_t addr, uint8_t *data,
                   unsigned int len, bool is_write, void *opaque)
{
    ck_assert_ptr_eq(vc, v);
    ck_assert_uint_le(len, sizeof(seen.last));
    seen.calls++;
    seen.addr = addr;
    seen.len = len;
    seen.is_write = is_write;
    seen.opaque = opaque;
    if (is_write)
        memcpy(seen.last, data, len);
    else
        memset(data, 0x5a, len);
    return true;
}

/* bytes_only: a device that decodes 1-byte accesses only. */
static bool bytes_only(struct vcpu *vc, uint64_t addr, uint8_t *data,
                       unsigned int len, bool is_write, void *opaque)
{
    return len == 1 && record(vc, addr, data, len, is_write, opaque);
}

/* Console output of the domain, for the debug port. */
static char console[64];
static size_t console_len;

static void sink(void *opaque, const char *buf, size_t len)
{
    (void)opaque;
    ck_assert_uint_le(console_len + len, sizeof(console));
    memcpy(console + console_len, buf, len);
    console_len += len;
}

/* stderr goes to a file while a test runs; warnings() reads it back. */
static FILE *capture;
static int saved_stderr;

/*
 * A domain built (domain_build), not started, with its table emptied of
 * the devices every domain has (the tests attach what they test).
 */
/* bare_domain: a domain of id (domid) whose I/O table is empty. */
static struct domain *bare_domain(uint16_t domid)
{
    struct pvhv_domain_config cfg;
    struct domain *dom;

    fixture_config(&cfg, RAM_SIZE);
    cfg.console = sink;
    dom = fixture_domain(&cfg, domid);
    io_device_detach(dom, &debug_port_device);
    io_device_detach(dom, platform_hypercall_port(dom));
    io_device_detach(dom, &boot_marker_device);
    ck_assert_uint_eq(dom->io[IO_SPACE_PORT].n, 0);
    return dom;
}

static void setup(void)
{
    d = bare_domain(3);
    v = &d->vcpus[0];
    memset(&seen, 0, sizeof(seen));
    console_len = 0;
    capture = tmpfile();
    ck_assert_ptr_nonnull(capture);
    saved_stderr = dup(STDERR_FILENO);
    ck_assert_int_eq(dup2(fileno(capture), STDERR_FILENO), STDERR_FILENO);
}

static void teardown(void)
{
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    fclose(capture);
    fixture_destroy(d);
}

/* warnings: captured lines that contain (text). */
static unsigned int warnings(const char *text)
{
    char line[2048];
    unsigned int n = 0;

    fflush(stderr);
    rewind(capture);
    while (fgets(line, sizeof(line), capture))
        n += strstr(line, text) != NULL;
    return n;
}

/* port_read / port_write: one access through the exit path. */
static uint32_t port_read(uint16_t port, unsigned int len)
{
    uint32_t val = 0;

    exit_pio(v, port, (uint8_t *)&val, len, 1, false);
    return val;
}

static void port_write(uint16_t port, uint32_t val, unsigned int len)
{
    exit_pio(v, port, (uint8_t *)&val, len, 1, true);
}

static uint64_t mmio_read(uint64_t gpa, unsigned int len)
{
    uint64_t val = 0;

    exit_mmio(v, gpa, (uint8_t *)&val, len, false);
    return val;
}

START_TEST(test_edges)
{
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x3f8, 8, record, &seen), 0);
    /* Inside, at both ends: served, with the absolute port and opaque. */
    ck_assert_uint_eq(port_read(0x3f8, 1), 0x5a);
    ck_assert_uint_eq(seen.addr, 0x3f8);
    ck_assert_ptr_eq(seen.opaque, &seen);
    ck_assert_uint_eq(port_read(0x3ff, 1), 0x5a);
    ck_assert_uint_eq(seen.addr, 0x3ff);
    ck_assert_uint_eq(seen.calls, 2);
    /* One below, one past: no device, all ones, the handler not called. */
    ck_assert_uint_eq(port_read(0x3f7, 1), 0xff);
    ck_assert_uint_eq(port_read(0x400, 2), 0xffff);
    ck_assert_uint_eq(seen.calls, 2);
    /* The range holding the first byte serves the whole access. */
    ck_assert_uint_eq(port_read(0x3ff, 4), 0x5a5a5a5a);
    ck_assert_uint_eq(seen.len, 4);
}
END_TEST

START_TEST(test_sorted_lookup)
{
    static const uint16_t bases[] = {0x70, 0x20, 0x3f8, 0x40, 0xcf8, 0x60};
    int tags[6];

    /* Registered out of order: each port still finds its own range. */
    for (unsigned int i = 0; i < 6; i++)
        ck_assert_int_eq(
            io_register(d, IO_SPACE_PORT, bases[i], 2, record, &tags[i]), 0);
    ck_assert_uint_eq(d->io[IO_SPACE_PORT].n, 6);
    for (unsigned int i = 0; i < 6; i++) {
        port_write(bases[i] + 1, 0x42, 1);
        ck_assert_ptr_eq(seen.opaque, &tags[i]);
        ck_assert_uint_eq(seen.last[0], 0x42);
    }
    for (unsigned int i = 1; i < d->io[IO_SPACE_PORT].n; i++)
        ck_assert_uint_lt(d->io[IO_SPACE_PORT].range[i - 1].base,
                          d->io[IO_SPACE_PORT].range[i].base);
    ck_assert_uint_eq(port_read(0x22, 1), 0xff);
}
END_TEST

START_TEST(test_overlap_refused)
{
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x100, 0x10, record, NULL),
                     0);
    /* The same, inside, across either end, around it. */
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x100, 0x10, record, NULL),
                     -EEXIST);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x104, 1, record, NULL),
                     -EEXIST);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0xf8, 0x9, record, NULL),
                     -EEXIST);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x10f, 4, record, NULL),
                     -EEXIST);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x80, 0x100, record, NULL),
                     -EEXIST);
    /* Touching it on either side is not overlapping. */
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0xf0, 0x10, record, NULL),
                     0);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x110, 1, record, NULL), 0);
    /* The other space is another table. */
    ck_assert_int_eq(io_register(d, IO_SPACE_MMIO, HPET, 0x400, record, NULL),
                     0);
    ck_assert_int_eq(
        io_register(d, IO_SPACE_MMIO, HPET + 0x3ff, 1, record, NULL), -EEXIST);
    ck_assert_uint_eq(d->io[IO_SPACE_PORT].n, 3);
    ck_assert_uint_eq(d->io[IO_SPACE_MMIO].n, 1);
}
END_TEST

START_TEST(test_bad_ranges)
{
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x80, 0, record, NULL),
                     -EINVAL);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0xfffe, 3, record, NULL),
                     -EINVAL);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x10000, 1, record, NULL),
                     -EINVAL);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x80, 1, NULL, NULL),
                     -EINVAL);
    ck_assert_int_eq(io_register(d, IO_SPACES, 0x80, 1, record, NULL), -EINVAL);
    ck_assert_int_eq(io_register(d, IO_SPACE_MMIO, UINT64_MAX, 2, record, NULL),
                     -EINVAL);
    ck_assert_int_eq(io_register(d, IO_SPACE_MMIO, 1ULL << 52, 1, record, NULL),
                     -EINVAL);
    /* The last port, and the last byte of the physical address space. */
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0xffff, 1, record, NULL), 0);
    ck_assert_int_eq(
        io_register(d, IO_SPACE_MMIO, (1ULL << 52) - 1, 1, record, NULL), 0);
}
END_TEST

START_TEST(test_mmio_not_over_memory)
{
    uint64_t w = PVHV_GRANT_WINDOW_BASE, wend = w + PVHV_GRANT_WINDOW_SIZE;

    /* RAM, the grant window and RAM above 4 GiB are memory, not devices. */
    ck_assert_int_eq(io_register(d, IO_SPACE_MMIO, 0, 1, record, NULL),
                     -EEXIST);
    ck_assert_int_eq(
        io_register(d, IO_SPACE_MMIO, RAM_SIZE - 1, 2, record, NULL), -EEXIST);
    ck_assert_int_eq(io_register(d, IO_SPACE_MMIO, w - 1, 2, record, NULL),
                     -EEXIST);
    ck_assert_int_eq(io_register(d, IO_SPACE_MMIO, wend - 1, 1, record, NULL),
                     -EEXIST);
    d->ram.size = 2 * RAM_SIZE; /* half of it above 4 GiB */
    ck_assert_int_eq(
        io_register(d, IO_SPACE_MMIO, GUEST_4G + RAM_SIZE - 1, 1, record, NULL),
        -EEXIST);
    /* Right next to them is free. */
    ck_assert_int_eq(
        io_register(d, IO_SPACE_MMIO, RAM_SIZE, 0x1000, record, NULL), 0);
    ck_assert_int_eq(io_register(d, IO_SPACE_MMIO, wend, 1, record, NULL), 0);
    ck_assert_int_eq(io_register(d, IO_SPACE_MMIO, w - 1, 1, record, NULL), 0);
    ck_assert_int_eq(
        io_register(d, IO_SPACE_MMIO, GUEST_4G + RAM_SIZE, 1, record, NULL), 0);
}
END_TEST

START_TEST(test_full_and_running)
{
    for (unsigned int i = 0; i < IO_RANGES_MAX; i++)
        ck_assert_int_eq(
            io_register(d, IO_SPACE_PORT, 0x1000 + 2 * i, 1, record, NULL), 0);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x80, 1, record, NULL),
                     -ENOSPC);
    ck_assert_int_eq(io_unregister(d, IO_SPACE_PORT, 0x1000), 0);
    atomic_store(&d->state, DOMAIN_RUNNING);
    /* vCPU threads read the table without a lock: no change now. */
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x80, 1, record, NULL),
                     -EBUSY);
    ck_assert_int_eq(io_unregister(d, IO_SPACE_PORT, 0x1002), -EBUSY);
    atomic_store(&d->state, DOMAIN_STOPPED);
    ck_assert_int_eq(io_unregister(d, IO_SPACE_PORT, 0x1002), 0);
    ck_assert_uint_eq(d->io[IO_SPACE_PORT].n, IO_RANGES_MAX - 2);
}
END_TEST

START_TEST(test_unregister)
{
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x60, 1, record, NULL), 0);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x64, 1, record, NULL), 0);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x70, 2, record, NULL), 0);
    /* Only a range's own base names it. */
    ck_assert_int_eq(io_unregister(d, IO_SPACE_PORT, 0x71), -ENOENT);
    ck_assert_int_eq(io_unregister(d, IO_SPACE_PORT, 0x50), -ENOENT);
    ck_assert_int_eq(io_unregister(d, IO_SPACE_MMIO, 0x64), -ENOENT);
    ck_assert_int_eq(io_unregister(d, IO_SPACES, 0x64), -EINVAL);
    ck_assert_int_eq(io_unregister(d, IO_SPACE_PORT, 0x64), 0);
    ck_assert_int_eq(io_unregister(d, IO_SPACE_PORT, 0x64), -ENOENT);
    ck_assert_uint_eq(port_read(0x64, 1), 0xff);
    ck_assert_uint_eq(seen.calls, 0);
    /* Its neighbours stay, and its place can be taken again. */
    ck_assert_uint_eq(port_read(0x60, 1), 0x5a);
    ck_assert_uint_eq(port_read(0x71, 1), 0x5a);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x62, 4, record, NULL), 0);
    ck_assert_uint_eq(port_read(0x65, 1), 0x5a);
    ck_assert_uint_eq(seen.addr, 0x65);
}
END_TEST

START_TEST(test_unclaimed_policy)
{
    uint64_t val;

    /* Reads float high at every size, in both spaces; writes vanish. */
    ck_assert_uint_eq(port_read(0x80, 1), 0xff);
    ck_assert_uint_eq(port_read(0x80, 2), 0xffff);
    ck_assert_uint_eq(port_read(0x80, 4), 0xffffffff);
    port_write(0x80, 0x12, 1);
    ck_assert_uint_eq(mmio_read(HPET, 4), 0xffffffff);
    ck_assert_uint_eq(mmio_read(HPET + 0xf0, 8), UINT64_MAX);
    val = 0x1234;
    exit_mmio(v, HPET + 0x10, (uint8_t *)&val, 8, true);
    ck_assert_uint_eq(val, 0x1234); /* a write's data is left alone */
    ck_assert_uint_eq(mmio_read(HPET + 0x10, 8), UINT64_MAX);
    /* Each exit is counted and named once, with the domain's id. */
    ck_assert_uint_eq(d->exits, 8);
    ck_assert_uint_eq(d->exits_io, 4);
    ck_assert_uint_eq(warnings("d3: vCPU 0: read of 4 bytes at I/O port 0x80: "
                               "no device, read as all ones"),
                      1);
    ck_assert_uint_eq(warnings("d3: vCPU 0: write of 1 bytes at I/O port "
                               "0x80: no device, dropped"),
                      1);
    ck_assert_uint_eq(warnings("d3: vCPU 0: read of 8 bytes at guest-physical "
                               "0xfed000f0: no device, read as all ones"),
                      1);
    ck_assert_uint_eq(warnings("d3: vCPU 0: write of 8 bytes at "
                               "guest-physical 0xfed00010: no device, dropped"),
                      1);
    ck_assert_uint_eq(warnings("no device"), 8);
}
END_TEST

START_TEST(test_refused_and_strings)
{
    uint8_t buf[6] = {'a', 'b', 'c', 'd', 'e', 'f'};
    uint16_t words[2] = {0, 0};

    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x3f8, 8, bytes_only, NULL),
                     0);
    /* A string instruction: one handler call per element, one exit. */
    exit_pio(v, 0x3f8, buf, 1, 6, true);
    ck_assert_uint_eq(seen.calls, 6);
    ck_assert_uint_eq(seen.last[0], 'f');
    exit_pio(v, 0x3f8, buf, 1, 3, false);
    ck_assert_mem_eq(buf,
                     "\x5a\x5a\x5a"
                     "def",
                     6);
    /* A size the device refuses gets the unclaimed policy, once. */
    exit_pio(v, 0x3f8, (uint8_t *)words, 2, 2, false);
    ck_assert_uint_eq(words[0], 0xffff);
    ck_assert_uint_eq(words[1], 0xffff);
    ck_assert_uint_eq(seen.calls, 9);
    ck_assert_uint_eq(warnings("read of 4 bytes at I/O port 0x3f8: no device"),
                      1);
    ck_assert_uint_eq(d->exits_io, 3);
}
END_TEST

START_TEST(test_debug_port)
{
    char text[] = "hi\n";

    ck_assert_int_eq(io_device_attach(d, &debug_port_device), 0);
    port_write(PVHV_DEBUGCON_PORT, 'x', 1);
    exit_pio(v, PVHV_DEBUGCON_PORT, (uint8_t *)text, 1, 3, true);
    ck_assert_uint_eq(console_len, 4);
    ck_assert_mem_eq(console, "xhi\n", 4);
    /* Nothing to read there: all ones, as on any port without a device. */
    ck_assert_uint_eq(port_read(PVHV_DEBUGCON_PORT, 1), 0xff);
    ck_assert_uint_eq(warnings("read of 1 bytes at I/O port 0xe9"), 1);
}
END_TEST

/*
 * The boot marker port: each write records the domain's time, exits (the
 * write's own included) and the writing vCPU's guest instructions, at the
 * first write and at the last.
 */
START_TEST(test_boot_marker_counts)
{
    uint64_t insns = 0;

    ck_assert_int_eq(io_device_attach(d, &boot_marker_device), 0);
    atomic_store(&d->exits, 6);
    fake_platform_kvm_exits(v, true, 100);
    port_write(PVHV_BOOT_MARKER_PORT, 1, 1);
    atomic_store(&d->exits, 40);
    fake_platform_kvm_exits(v, true, 250);
    port_write(PVHV_BOOT_MARKER_PORT, 2, 1);
    fake_platform_kvm_exits(v, true, 260);
    port_write(PVHV_BOOT_MARKER_PORT, 0x1234, 2);
    if (d->native || platform_vcpu_guest_insns(v, &insns) < 0)
        insns = 0;
    ck_assert_uint_eq(d->markers, 3);
    ck_assert_uint_eq(d->marker_value, 0x1234);
    ck_assert_uint_eq(d->marker_first_exits, 7);
    ck_assert_uint_eq(d->marker_last_exits, 42);
    ck_assert_uint_le(d->marker_first_ns, d->marker_last_ns);
    ck_assert_uint_le(d->marker_first_insns, d->marker_last_insns);
    ck_assert_uint_eq(d->marker_last_insns, insns);
    ck_assert_uint_eq(d->marker_first_kvm_exits, 100);
    ck_assert_uint_eq(d->marker_last_kvm_exits, 260);
    /* Nothing to read, and no more than 4 bytes to a write. */
    ck_assert_uint_eq(port_read(PVHV_BOOT_MARKER_PORT, 1), 0xff);
    ck_assert_uint_eq(d->markers, 3);
}
END_TEST

/*
 * On a host without KVM's exits statistic the marker records 0 KVM
 * exits, the rest as ever.
 */
START_TEST(test_boot_marker_without_kvm_exits)
{
    ck_assert_int_eq(io_device_attach(d, &boot_marker_device), 0);
    fake_platform_kvm_exits(v, false, 99);
    atomic_store(&d->exits, 2);
    port_write(PVHV_BOOT_MARKER_PORT, 1, 1);
    ck_assert_uint_eq(d->markers, 1);
    ck_assert_uint_eq(d->marker_first_exits, 3);
    ck_assert_uint_eq(d->marker_first_kvm_exits, 0);
    ck_assert_uint_eq(d->marker_last_kvm_exits, 0);
}
END_TEST

/* A device with state: a register that reads back what was written. */
struct latch {
    uint32_t value;
};

static bool latch_io(struct vcpu *vc, uint64_t port, uint8_t *data,
                     unsigned int len, bool is_write, void *opaque)
{
    struct latch *l = opaque;

    (void)vc;
    (void)port;
    if (len != 4)
        return false;
    if (is_write)
        memcpy(&l->value, data, 4);
    else
        memcpy(data, &l->value, 4);
    return true;
}

static const struct io_device latch_device = {
    .name = "latch",
    .space = IO_SPACE_PORT,
    .base = 0x510,
    .len = 4,
    .access = latch_io,
    .state_size = sizeof(struct latch),
};

START_TEST(test_device_state)
{
    struct domain *other = bare_domain(4);

    ck_assert_int_eq(io_device_attach(d, &latch_device), 0);
    ck_assert_int_eq(io_device_attach(other, &latch_device), 0);
    /* Attached twice to one domain: its range is taken. */
    ck_assert_int_eq(io_device_attach(d, &latch_device), -EEXIST);
    /* Each domain has its own state, zeroed at first. */
    ck_assert_uint_eq(port_read(0x510, 4), 0);
    port_write(0x510, 0xc0ffee, 4);
    ck_assert_uint_eq(port_read(0x510, 4), 0xc0ffee);
    ck_assert_ptr_ne(d->io[IO_SPACE_PORT].range[0].opaque,
                     other->io[IO_SPACE_PORT].range[0].opaque);
    ck_assert_uint_eq(
        ((struct latch *)other->io[IO_SPACE_PORT].range[0].opaque)->value, 0);
    /* Detached (its state freed: the sanitizers' leak check looks), the
     * port is empty again; a range that is not the device's stays. */
    io_device_detach(d, &latch_device);
    ck_assert_uint_eq(d->io[IO_SPACE_PORT].n, 0);
    ck_assert_uint_eq(port_read(0x510, 4), 0xffffffff);
    ck_assert_int_eq(io_register(d, IO_SPACE_PORT, 0x510, 4, record, NULL), 0);
    io_device_detach(d, &latch_device);
    ck_assert_uint_eq(d->io[IO_SPACE_PORT].n, 1);
    io_device_detach(other, &latch_device);
    ck_assert_uint_eq(other->io[IO_SPACE_PORT].n, 0);
    fixture_teardown(other);
}
END_TEST

/*
 * An hvm domain's devices drive their ISA lines through io_irq_line: the
 * UART's IRQ 4 rises with received data (IER.RDI, MCR.OUT2) and falls
 * when RBR is read. A line out of range is refused and named; a PV
 * domain has no interrupt controllers.
 */
START_TEST(test_irq_lines)
{
    struct pvhv_domain_config cfg;
    struct domain *h;
    struct vcpu *saved = v;
    unsigned int changes;

    fixture_config(&cfg, RAM_SIZE);
    cfg.hvm = true;
    h = fixture_domain(&cfg, 9);
    v = &h->vcpus[0];
    changes = fake_platform_irq_changes[UART_COM1_IRQ];
    port_write(UART_COM1_BASE + UART_IIR_FCR, UART_FCR_ENABLE, 1);
    port_write(UART_COM1_BASE + UART_MCR, UART_MCR_OUT2, 1);
    port_write(UART_COM1_BASE + UART_IER_DLM, UART_IER_RDI, 1);
    ck_assert_uint_eq(fake_platform_irq_changes[UART_COM1_IRQ], changes);
    ck_assert_int_eq(emulated_console_input(h, "xy", 2), 2);
    ck_assert(fake_platform_irq_level[UART_COM1_IRQ]);
    ck_assert_uint_eq(fake_platform_irq_changes[UART_COM1_IRQ], changes + 1);
    ck_assert_uint_eq(port_read(UART_COM1_BASE, 1), 'x');
    ck_assert(fake_platform_irq_level[UART_COM1_IRQ]); /* 'y' is left */
    ck_assert_uint_eq(port_read(UART_COM1_BASE, 1), 'y');
    ck_assert(!fake_platform_irq_level[UART_COM1_IRQ]);
    ck_assert_uint_eq(fake_platform_irq_changes[UART_COM1_IRQ], changes + 2);
    /* OUT2 off: input no longer reaches the line. */
    port_write(UART_COM1_BASE + UART_MCR, 0, 1);
    ck_assert_int_eq(emulated_console_input(h, "z", 1), 1);
    ck_assert(!fake_platform_irq_level[UART_COM1_IRQ]);
    ck_assert_uint_eq(fake_platform_irq_changes[UART_COM1_IRQ], changes + 2);

    ck_assert_int_eq(io_irq_line(h, PLATFORM_ISA_IRQS, true), -EINVAL);
    ck_assert_int_eq(io_irq_line(h, 0xffffffffu, false), -EINVAL);
    ck_assert_uint_eq(warnings("a device drove ISA interrupt line 16 "
                               "(level 1): no such line (0 to 15), refused"),
                      1);
    ck_assert_uint_eq(warnings("line 4294967295 (level 0)"), 1);
    ck_assert_int_eq(io_irq_line(d, UART_COM1_IRQ, true), -ENODEV);
    v = saved;
    fixture_destroy(h);
}
END_TEST

static Suite *io_suite(void)
{
    Suite *s = suite_create("io");
    TCase *tc = tcase_create("table");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_edges);
    tcase_add_test(tc, test_sorted_lookup);
    tcase_add_test(tc, test_overlap_refused);
    tcase_add_test(tc, test_bad_ranges);
    tcase_add_test(tc, test_mmio_not_over_memory);
    tcase_add_test(tc, test_full_and_running);
    tcase_add_test(tc, test_unregister);
    tcase_add_test(tc, test_unclaimed_policy);
    tcase_add_test(tc, test_refused_and_strings);
    tcase_add_test(tc, test_debug_port);
    tcase_add_test(tc, test_boot_marker_counts);
    tcase_add_test(tc, test_boot_marker_without_kvm_exits);
    tcase_add_test(tc, test_device_state);
    tcase_add_test(tc, test_irq_lines);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(io_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
