/* SPDX-License-Identifier: MIT */
/* acpi.h: the ACPI tables a PVH guest finds at hvm_start_info.rsdp_paddr. */
#ifndef PVABI_ACPI_H
#define PVABI_ACPI_H

#include <stdint.h>

/*
 * Layouts from the ACPI specification (6.x), little-endian, packed. What
 * pvhv gives a domain whose vCPUs have local APICs:
 *
 *   RSDP (revision 2) -> XSDT -> FADT (hardware-reduced) -> DSDT (no AML)
 *                            \-> MADT (a local APIC per vCPU)
 *
 * in one reserved range of the memory map. Every table's bytes sum to 0
 * (mod 256) over its header's length; the RSDP's first 20 bytes do too
 * (checksum) and all 36 (extended_checksum). A hardware-reduced FADT
 * tells the guest there is no fixed ACPI hardware (PM timer, SCI, GPE
 * blocks), and its boot flags that there is no CMOS RTC, no VGA, no 8042.
 */

#define ACPI_RSDP_SIGNATURE "RSD PTR " /* 8 bytes, no NUL */
#define ACPI_RSDP_CHECKSUM_LEN 20      /* what checksum covers (rev 0) */
#define ACPI_RSDP_REVISION 2

struct acpi_rsdp {
    char signature[8];
    uint8_t checksum; /* of the first 20 bytes */
    char oem_id[6];
    uint8_t revision;      /* 2: the XSDT fields are valid */
    uint32_t rsdt_address; /* 0: no RSDT, the XSDT lists the tables */
    uint32_t length;       /* sizeof(struct acpi_rsdp) */
    uint64_t xsdt_address;
    uint8_t extended_checksum; /* of all 36 bytes */
    uint8_t reserved[3];
} __attribute__((packed));

/* The header every other table begins with. */
struct acpi_table_header {
    char signature[4];
    uint32_t length; /* of the whole table, this header included */
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    char creator_id[4];
    uint32_t creator_revision;
} __attribute__((packed));

/* XSDT ("XSDT"): the header, then 64-bit addresses of the tables. */
struct acpi_xsdt {
    struct acpi_table_header h;
    uint64_t entry[];
} __attribute__((packed));

/* MADT ("APIC"): the header, then variable entries {type, length, ...}. */
struct acpi_madt {
    struct acpi_table_header h;
    uint32_t lapic_address; /* every CPU's local APIC, 0xfee00000 */
    uint32_t flags;         /* ACPI_MADT_PCAT_COMPAT */
} __attribute__((packed));
#define ACPI_MADT_REVISION 4
#define ACPI_MADT_PCAT_COMPAT (1u << 0) /* dual 8259 PICs present */
#define ACPI_LAPIC_DEFAULT_ADDRESS 0xfee00000u

struct acpi_madt_entry_header {
    uint8_t type;
    uint8_t length;
} __attribute__((packed));

#define ACPI_MADT_TYPE_LOCAL_APIC 0
struct acpi_madt_local_apic {
    struct acpi_madt_entry_header e; /* length 8 */
    uint8_t processor_uid;
    uint8_t apic_id;
    uint32_t flags; /* ACPI_MADT_ENABLED */
} __attribute__((packed));
#define ACPI_MADT_ENABLED (1u << 0)

#define ACPI_MADT_TYPE_IO_APIC 1
struct acpi_madt_io_apic {
    struct acpi_madt_entry_header e; /* length 12 */
    uint8_t id;
    uint8_t reserved;
    uint32_t address;
    uint32_t gsi_base;
} __attribute__((packed));

#define ACPI_MADT_TYPE_INTERRUPT_OVERRIDE 2
struct acpi_madt_interrupt_override {
    struct acpi_madt_entry_header e; /* length 10 */
    uint8_t bus;                     /* 0: ISA */
    uint8_t source;                  /* the ISA IRQ */
    uint32_t gsi;
    uint16_t flags; /* polarity bits 1:0, trigger mode bits 3:2 */
} __attribute__((packed));

/* Generic address structure, as the FADT's register blocks use it. */
struct acpi_gas {
    uint8_t space_id;
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;
    uint64_t address;
} __attribute__((packed));

/* FADT ("FACP"), revision 6: 276 bytes. */
struct acpi_fadt {
    struct acpi_table_header h;
    uint32_t firmware_ctrl;
    uint32_t dsdt;
    uint8_t reserved0;
    uint8_t preferred_pm_profile;
    uint16_t sci_int;
    uint32_t smi_cmd;
    uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
    uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
    uint32_t pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
    uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
    uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
    uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
    uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
    uint16_t iapc_boot_arch; /* ACPI_FADT_BOOT_* */
    uint8_t reserved1;
    uint32_t flags; /* ACPI_FADT_* */
    struct acpi_gas reset_reg;
    uint8_t reset_value;
    uint16_t arm_boot_arch;
    uint8_t minor_revision;
    uint64_t x_firmware_ctrl;
    uint64_t x_dsdt;
    struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk;
    struct acpi_gas x_pm1b_cnt_blk, x_pm2_cnt_blk, x_pm_tmr_blk;
    struct acpi_gas x_gpe0_blk, x_gpe1_blk;
    struct acpi_gas sleep_control_reg, sleep_status_reg;
    uint64_t hypervisor_vendor_id;
} __attribute__((packed));
#define ACPI_FADT_REVISION 6
#define ACPI_FADT_MINOR_REVISION 0
#define ACPI_FADT_HW_REDUCED_ACPI (1u << 20)
#define ACPI_FADT_BOOT_LEGACY_DEVICES (1u << 0)
#define ACPI_FADT_BOOT_8042 (1u << 1)
#define ACPI_FADT_BOOT_NO_VGA (1u << 2)
#define ACPI_FADT_BOOT_NO_MSI (1u << 3)
#define ACPI_FADT_BOOT_NO_CMOS_RTC (1u << 5)

/* DSDT ("DSDT"): the header, then AML (none here). */
#define ACPI_DSDT_REVISION 2

_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes");
_Static_assert(sizeof(struct acpi_table_header) == 36, "header: 36 bytes");
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT fixed part");
_Static_assert(sizeof(struct acpi_madt_local_apic) == 8, "local APIC");
_Static_assert(sizeof(struct acpi_madt_io_apic) == 12, "I/O APIC");
_Static_assert(sizeof(struct acpi_madt_interrupt_override) == 10,
               "interrupt source override");
_Static_assert(sizeof(struct acpi_gas) == 12, "generic address");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT revision 6");
_Static_assert(__builtin_offsetof(struct acpi_fadt, iapc_boot_arch) == 109,
               "FADT IAPC_BOOT_ARCH");
_Static_assert(__builtin_offsetof(struct acpi_fadt, flags) == 112,
               "FADT flags");
_Static_assert(__builtin_offsetof(struct acpi_fadt, minor_revision) == 131,
               "FADT minor version");
_Static_assert(__builtin_offsetof(struct acpi_fadt, x_dsdt) == 140,
               "FADT X_DSDT");

#endif /* PVABI_ACPI_H */
