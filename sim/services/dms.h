/*
 * dms.h — DMS simulation hooks used by the control API (/_awssim/...).
 *
 * Faults (POST /_awssim/faults with "service":"dms"):
 *   {"service":"dms","task":"<arn|identifier>","kind":"task-fails","at":"ISO|epoch","message":"..."}
 *       the task (or serverless replication, "replication":"<config arn|id>") fails at `at` (default: now,
 *       or as soon as it runs); fires once unless "repeat":true.
 *   {"service":"dms","task":...,"kind":"table-fails","schema":"s","table":"t","at":...}
 *       that table shows "Table error" (TablesErrored) from `at` while the task keeps running, until
 *       ReloadTables of the table or a reload-target start.
 *   {"service":"dms","task":...,"kind":"lag","seconds":900,"from":...,"until":...,"on":"target|source"}
 *       CDC latency spikes to `seconds` in [from, until) (CloudWatch CDCLatencySource/Target).
 *   {"service":"dms","task":...,"kind":"cdc-stalled","from":...,"until":...}
 *       CDC stops applying: latency grows by one second per second from `from`.
 *   {"service":"dms","endpoint":"<arn|identifier>","kind":"connection-fails","message":"..."}
 *       TestConnection ends "failed"; tasks using the endpoint fail when they start.
 *   Optional on every fault: "id" (else generated), "account", "region".
 * Tables (POST /_awssim/dms/tables):
 *   {"task":"<arn|identifier>","tables":[{"schema","table","rows","rowsPerSecond",
 *     "cdcInsertsPerSecond","cdcUpdatesPerSecond","cdcDeletesPerSecond"}]}
 *   Defaults: 100000 rows at 5000 rows/s per table, CDC 1 insert + 1 update per second per table.
 */
#ifndef AWSSIM_DMS_H
#define AWSSIM_DMS_H

#include "core/sim.h"

/* Add a fault (see above). Returns its sequence number (> 0; the generated id is that number as
 * text), or -1 with e filled. */
int dms_fault_add(sim_t *s, const cJSON *fault, sim_error_t *e);
/* Remove one fault by id, or all DMS faults when id is NULL. Returns how many were removed. */
int dms_fault_clear(sim_t *s, const char *id_or_null);
/* All DMS faults as a new array (each with its "id" and "fired" count). */
cJSON *dms_faults_json(sim_t *s);
/* Replace the table list of a task (or serverless replication config). */
int dms_set_tables(sim_t *s, const cJSON *spec, sim_error_t *e);
/* Append AWS/DMS datapoints of every task of account/region (NULL = all) to `out`:
 * when out is an array, items are appended to it; when it is an object, to out.Datapoints.
 * Item: {"Namespace":"AWS/DMS","MetricName","Dimensions":[{"Name","Value"}],"Timestamp":ISO-8601,
 *        "Value","Unit"}; one sample per 60 s of virtual time since the task's fresh start. */
int dms_metrics_json(sim_t *s, const char *account, const char *region, cJSON *out);

#endif
