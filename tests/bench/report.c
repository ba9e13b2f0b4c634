/* SPDX-License-Identifier: MIT */
/* report.c: pvbench's output: one JSON object per line. */
#include <stdio.h>

#include "bench.h"

void emit(const struct result *r)
{
    printf("{\"metric\": \"%s\", \"value\": %.3f, \"unit\": \"%s\"", r->metric,
           r->value, r->unit);
    if (r->floor > 0)
        printf(", \"floor\": %.3f, \"ratio\": %.4g", r->floor,
               r->value / r->floor);
    if (r->exits >= 0)
        printf(", \"exits\": %.3f", r->exits);
    if (r->kvm_exits >= 0)
        printf(", \"kvm_exits\": %.3f", r->kvm_exits);
    else if (r->kvm_exits == KVM_EXITS_NA)
        printf(", \"kvm_exits\": null");
    if (r->insns >= 0)
        printf(", \"guest_insns\": %.1f", r->insns);
    else if (r->insns == INSNS_NA)
        printf(", \"guest_insns\": null");
    if (r->peer)
        printf(", \"vs_%s\": %.4g", r->peer, r->vs_peer);
    if (r->unmeasured && r->unmeasured[0])
        printf(", \"unmeasured\": \"%s\"", r->unmeasured);
    printf("}\n");
    fflush(stdout);
}

void emit_skipped(const char *metric, const char *why)
{
    printf("{\"metric\": \"%s\", \"skipped\": \"%s\"}\n", metric, why);
    fflush(stdout);
}

void emit_value(const char *metric, const char *unit, double value,
                double floor, double exits, double kvm_exits, double insns)
{
    struct result r = {.metric = metric,
                       .unit = unit,
                       .value = value,
                       .floor = floor,
                       .exits = exits,
                       .kvm_exits = kvm_exits,
                       .insns = insns};
    emit(&r);
}
