/*
 * rp_schema.c — scenarios/schema.json embedded into the binary (assembler .incbin, path relative to
 * the repository root where make runs), so `awssim replay` validates scenarios anywhere with the
 * very schema the repository documents. The Makefile lists the schema as this object's prerequisite.
 */
#include "replay/replay.h"

__asm__(".section .rodata\n"
        ".global replay_schema_json\n"
        ".type replay_schema_json, @object\n"
        "replay_schema_json:\n"
        ".incbin \"scenarios/schema.json\"\n"
        ".byte 0\n"
        ".size replay_schema_json, . - replay_schema_json\n"
        ".previous\n");
