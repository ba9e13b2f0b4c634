/* SPDX-License-Identifier: MIT */
/* triplefault.c: an exception with no IDT must end the domain as a crash. */

#include "../testguest.h"

int main(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) empty_idt = {0, 0};

    puts("triplefault: loading an empty IDT, then ud2");
    /*
     * The #UD cannot be delivered through an IDT of limit 0 (#GP), nor
     * can that #GP (#DF), nor the #DF: the CPU shuts down (triple fault).
     * ud2, not int3: the development machines' KVM emulates guest code
     * and cannot emulate a software interrupt in long mode.
     */
    __asm__ volatile("lidt %0; ud2" : : "m"(empty_idt) : "memory");
    test_abort("still running after a triple fault");
}
