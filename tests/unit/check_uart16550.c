/* SPDX-License-Identifier: MIT */
/* check_uart16550.c: the 16550A model against the datasheet's register rules.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "emulated/uart16550.h"

static struct uart16550 u;
static char out[64];
static size_t out_len;
static bool line;
static unsigned int line_changes;

static void tx(void *opaque, uint8_t b)
{
    (void)opaque;
    if (out_len < sizeof(out))
        out[out_len++] = (char)b;
}

static void irq(void *opaque, bool level)
{
    (void)opaque;
    line = level;
    line_changes++;
}

static void setup(void)
{
    out_len = 0;
    line = false;
    line_changes = 0;
    uart16550_init(&u, tx, irq, NULL);
}

static void teardown(void)
{
    uart16550_fini(&u);
}

START_TEST(test_reset_state)
{
    ck_assert_uint_eq(uart16550_read(&u, UART_IER_DLM), 0);
    ck_assert_uint_eq(uart16550_read(&u, UART_IIR_FCR), UART_IIR_NONE);
    ck_assert_uint_eq(uart16550_read(&u, UART_LCR), 0);
    ck_assert_uint_eq(uart16550_read(&u, UART_MCR), 0);
    ck_assert_uint_eq(uart16550_read(&u, UART_LSR),
                      UART_LSR_THRE | UART_LSR_TEMT);
    ck_assert_uint_eq(uart16550_read(&u, UART_MSR), 0xb0); /* DCD DSR CTS */
    ck_assert_uint_eq(uart16550_read(&u, 8), 0xff);        /* not a register */
    ck_assert(!line);
}
END_TEST

START_TEST(test_thr_is_output)
{
    for (const char *s = "hi\n"; *s; s++)
        uart16550_write(&u, UART_RBR_THR_DLL, (uint8_t)*s);
    ck_assert_uint_eq(out_len, 3);
    ck_assert_mem_eq(out, "hi\n", 3);
    ck_assert_uint_eq(uart16550_read(&u, UART_LSR) & UART_LSR_THRE,
                      UART_LSR_THRE);
}
END_TEST

/* DLAB switches offsets 0 and 1 to the divisor latch; THR is not written. */
START_TEST(test_dlab_divisor)
{
    uart16550_write(&u, UART_IER_DLM, 0x05);
    uart16550_write(&u, UART_LCR, UART_LCR_DLAB | 0x03);
    uart16550_write(&u, UART_RBR_THR_DLL, 0x01);
    uart16550_write(&u, UART_IER_DLM, 0x00);
    ck_assert_uint_eq(uart16550_read(&u, UART_RBR_THR_DLL), 0x01);
    ck_assert_uint_eq(uart16550_read(&u, UART_IER_DLM), 0x00);
    ck_assert_uint_eq(u.divisor, 1); /* 115200 baud */
    ck_assert_uint_eq(out_len, 0);
    uart16550_write(&u, UART_LCR, 0x03);
    ck_assert_uint_eq(uart16550_read(&u, UART_IER_DLM), 0x05);
    ck_assert_uint_eq(uart16550_read(&u, UART_LCR), 0x03);
}
END_TEST

/* IER keeps its low 4 bits, MCR its low 5; SCR is plain storage. */
START_TEST(test_bad_values_masked)
{
    uart16550_write(&u, UART_IER_DLM, 0xf0);
    ck_assert_uint_eq(uart16550_read(&u, UART_IER_DLM), 0);
    uart16550_write(&u, UART_MCR, 0xe3);
    ck_assert_uint_eq(uart16550_read(&u, UART_MCR), 0x03);
    uart16550_write(&u, UART_SCR, 0x5a);
    ck_assert_uint_eq(uart16550_read(&u, UART_SCR), 0x5a);
    uart16550_write(&u, UART_LSR, 0x00); /* factory test: ignored */
    uart16550_write(&u, UART_MSR, 0xff);
    uart16550_write(&u, 9, 0xff);
    ck_assert_uint_eq(uart16550_read(&u, UART_LSR),
                      UART_LSR_THRE | UART_LSR_TEMT);
}
END_TEST

START_TEST(test_input_fifo)
{
    char big[40];

    /* FIFOs off: one holding byte. */
    ck_assert_uint_eq(uart16550_input(&u, "ab", 2), 1);
    ck_assert_uint_eq(uart16550_read(&u, UART_LSR) & UART_LSR_DR, UART_LSR_DR);
    ck_assert_uint_eq(uart16550_read(&u, UART_RBR_THR_DLL), 'a');
    ck_assert_uint_eq(uart16550_read(&u, UART_LSR) & UART_LSR_DR, 0);
    /* FIFOs on: 16 bytes, the rest left with the caller (no overrun). */
    uart16550_write(&u, UART_IIR_FCR, UART_FCR_ENABLE);
    ck_assert_uint_eq(uart16550_read(&u, UART_IIR_FCR) & UART_IIR_FIFO,
                      UART_IIR_FIFO);
    memset(big, 'x', sizeof(big));
    big[0] = '1';
    ck_assert_uint_eq(uart16550_input(&u, big, sizeof(big)), UART_FIFO);
    ck_assert_uint_eq(uart16550_read(&u, UART_LSR) & UART_LSR_OE, 0);
    ck_assert_uint_eq(uart16550_read(&u, UART_RBR_THR_DLL), '1');
    uart16550_write(&u, UART_IIR_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX);
    ck_assert_uint_eq(uart16550_read(&u, UART_LSR) & UART_LSR_DR, 0);
    ck_assert_uint_eq(uart16550_read(&u, UART_RBR_THR_DLL), 0);
}
END_TEST

/* Priority RDA over THRE; OUT2 gates the line; reading IIR acks THRE. */
START_TEST(test_interrupts)
{
    uart16550_write(&u, UART_IER_DLM, UART_IER_THRI | UART_IER_RDI);
    ck_assert(!line); /* OUT2 low: the PC's line stays quiet */
    uart16550_write(&u, UART_MCR, UART_MCR_OUT2);
    ck_assert(line);
    ck_assert_uint_eq(uart16550_read(&u, UART_IIR_FCR), UART_IIR_THRI);
    ck_assert(!line);
    ck_assert_uint_eq(uart16550_read(&u, UART_IIR_FCR), UART_IIR_NONE);
    uart16550_input(&u, "k", 1);
    ck_assert(line);
    ck_assert_uint_eq(uart16550_read(&u, UART_IIR_FCR), UART_IIR_RDI);
    uart16550_write(&u, UART_RBR_THR_DLL, 'o'); /* THRE pending too */
    ck_assert_uint_eq(uart16550_read(&u, UART_IIR_FCR), UART_IIR_RDI);
    ck_assert_uint_eq(uart16550_read(&u, UART_RBR_THR_DLL), 'k');
    ck_assert_uint_eq(uart16550_read(&u, UART_IIR_FCR), UART_IIR_THRI);
    ck_assert(!line);
    uart16550_write(&u, UART_IER_DLM, 0);
    uart16550_input(&u, "z", 1);
    ck_assert(!line);
}
END_TEST

/* Loopback: THR comes back in RBR, MCR drives MSR, nothing leaves. */
START_TEST(test_loopback)
{
    uart16550_write(&u, UART_MCR, UART_MCR_LOOP | 0x0f);
    ck_assert_uint_eq(uart16550_read(&u, UART_MSR) & 0xf0, 0xf0);
    uart16550_write(&u, UART_MCR, UART_MCR_LOOP | 0x01);
    ck_assert_uint_eq(uart16550_read(&u, UART_MSR) & 0xf0, 0x20); /* DSR */
    uart16550_write(&u, UART_RBR_THR_DLL, 0xa5);
    ck_assert_uint_eq(out_len, 0);
    ck_assert_uint_eq(uart16550_input(&u, "n", 1), 0);
    ck_assert_uint_eq(uart16550_read(&u, UART_RBR_THR_DLL), 0xa5);
    /* A second byte with no FIFO overruns: OE once, cleared by the read. */
    uart16550_write(&u, UART_RBR_THR_DLL, 1);
    uart16550_write(&u, UART_RBR_THR_DLL, 2);
    ck_assert_uint_eq(uart16550_read(&u, UART_LSR) & UART_LSR_OE, UART_LSR_OE);
    ck_assert_uint_eq(uart16550_read(&u, UART_LSR) & UART_LSR_OE, 0);
    ck_assert_uint_eq(uart16550_read(&u, UART_RBR_THR_DLL), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("uart16550");
    TCase *tc = tcase_create("registers");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_state);
    tcase_add_test(tc, test_thr_is_output);
    tcase_add_test(tc, test_dlab_divisor);
    tcase_add_test(tc, test_bad_values_masked);
    tcase_add_test(tc, test_input_fifo);
    tcase_add_test(tc, test_interrupts);
    tcase_add_test(tc, test_loopback);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
