/*
 * fuzz_scenario.c — libFuzzer target for the scenario loader (sim/replay rp_load_text, the body
 * of rp_load): JSON parse, the line map, validation against the embedded schema
 * (scenarios/schema.json) and the step checks. Input: the scenario file's bytes, loaded from
 * memory (writing a temp file per input cost more than the loader itself). A refused scenario
 * must always say why.
 */
#include <stdio.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "replay/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    rp_scenario_t sc;
    char err[2048] = "";
    int rc = rp_load_text("fuzz.json", text, &sc, err, sizeof err);
    free(text);
    if (rc != 0 && !err[0]) abort();
    rp_scenario_free(&sc); /* harmless after a failed load (it owns nothing) */
    return 0;
}
