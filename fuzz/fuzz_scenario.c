/*
 * fuzz_scenario.c — libFuzzer target for the scenario loader (sim/replay rp_load): JSON parse,
 * the line map, validation against the embedded schema (scenarios/schema.json) and the step
 * checks. Input: the scenario file's bytes (written to a per-process temp file, since rp_load
 * reads a path). A refused scenario must always say why.
 */
#include <stdio.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "replay/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/awssim-fuzz-scenario-%d.json", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    rp_scenario_t sc;
    char err[2048] = "";
    int rc = rp_load(path, &sc, err, sizeof err);
    if (rc != 0 && !err[0]) abort();
    if (rc == 0)
        rp_scenario_free(&sc);
    else if (sc.doc)
        rp_scenario_free(&sc);
    return 0;
}
