/*
 * route53.h — Route 53 entry points used outside the service: the fault API behind
 * /_awssim/faults (simulated health-check targets) and the resolver behind
 * /_awssim/route53/resolve. Handlers are reached through SVC_ROUTE53 (services/service.h).
 * Changes (GetChange) and traffic policy instances stay PENDING / Creating for 60 s of the clock;
 * meta key "route53.change_delay_ms" (meta_set) overrides the delay, e.g. "0" for --clock real.
 */
#ifndef AWSSIM_ROUTE53_H
#define AWSSIM_ROUTE53_H

#include "core/sim.h"

/*
 * Add a fault: {"service":"route53", "healthCheckId"|"fqdn"|"ip": target, "status":"unhealthy"
 * (default) | "healthy" | "insufficient_data", "from": ISO-8601 or epoch seconds (default now),
 * "until": ... (default forever), "reason": "text for GetHealthCheckLastFailureReason",
 * "regions": ["us-east-1", ...] (only those health-checker regions see it; default all)}.
 * An endpoint is healthy while more than 18% of its checker regions see it healthy. An fqdn
 * fault also makes an alias target outside Route 53 (ELB, CloudFront, ...) with that DNS name
 * unhealthy for EvaluateTargetHealth.
 * Health checks are first brought up to date so a fault never rewrites observed history.
 * Returns the fault's id (a positive number; "id" in route53_faults_json), or -1 with e set.
 */
int route53_fault_add(sim_t *s, const cJSON *fault, sim_error_t *e);
/* Remove one fault by id (its number as text), or all Route 53 faults when id_or_null is NULL.
 * Returns how many were removed. */
int route53_fault_clear(sim_t *s, const char *id_or_null);
/* All Route 53 faults as a new JSON array (caller frees). */
cJSON *route53_faults_json(sim_t *s);

/*
 * Answer a DNS query (name, type) from the hosted zones of `account` the way Route 53 would:
 * routing policies, health of records, alias targets. samples >= 1 queries repeat with the
 * seeded rng. Fills `out` (an object): name, type, hostedZoneId, rcode, policy, answer (first
 * sample: [{setIdentifier, type, values, ttl}]), records (the candidates: [{setIdentifier, type,
 * healthy, healthCheckId}]), samples and, when samples > 1, counts {setIdentifier: n} (records
 * without a SetIdentifier count under ""). Returns 0, or -1 when name/type is invalid.
 */
int route53_resolve(sim_t *s, const char *account, const char *name, const char *type, int samples,
                    cJSON *out);
/* The same for a client at client_ip (CIDR routing uses it; NULL = unknown client). */
int route53_resolve_from(sim_t *s, const char *account, const char *name, const char *type, int samples,
                         const char *client_ip, cJSON *out);

/*
 * Append AWS/Route53 datapoints of the health checks of account (NULL = all) to out (an array,
 * or out.Datapoints when out is an object): HealthCheckStatus (1/0), HealthCheckPercentageHealthy
 * (share of checker regions seeing the endpoint healthy) and ChildHealthCheckHealthyCount (calculated
 * checks), one per minute of the clock over the last 24 h. Item shape as dms_metrics_json:
 * {"Namespace","MetricName",
 * "Dimensions":[{"Name":"HealthCheckId","Value"}],"Timestamp":ISO-8601,"Value","Unit"}.
 * Route 53 publishes in us-east-1: another region gives none. Returns the number appended.
 */
int route53_metrics_json(sim_t *s, const char *account, const char *region, cJSON *out);

/* Set how long changes stay PENDING (ms, >= 0; 60000 is AWS-like), persisted in meta
 * "route53.change_delay_ms". For the lead to wire to a serve flag or control endpoint. */
int route53_set_change_delay(sim_t *s, int64_t ms);

#endif
