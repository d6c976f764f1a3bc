/*
 * route53_int.h — what the Route 53 source files (route53*.c) share: storage helpers, DNS name
 * normalisation, record-set table access, change records and health-check evaluation.
 * Not part of any contract outside sim/services/route53*.c.
 */
#ifndef AWSSIM_ROUTE53_INT_H
#define AWSSIM_ROUTE53_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/sim.h"
#include "services/route53.h"
#include "services/service.h"

#define R53_SVC "route53"
#define R53_SCOPE "global"
#define R53_NAME_MAX 1100         /* normalised names: 255 wire bytes, escapes may quadruple a few */
#define R53_CHANGE_DELAY_MS 60000 /* PENDING -> INSYNC after 60 s of (virtual) time, by default */

/* ---- route53.c: shared helpers ---- */
/* A new id: prefix + n upper alnum chars (zone Z, change C, delegation set N). out >= n + 2. */
void r53_new_id(sim_t *s, char prefix, int n, char *out);
/* Drop "/hostedzone/", "/change/", "/delegationset/", ... prefixes clients may send. */
const char *r53_bare_id(const char *id);
/* Lowercase, escape (\ooo for chars outside a-z0-9-_), add the trailing dot. 0, or -1 empty
 * label, -2 label longer than 63, -3 name longer than 255 bytes. "" and "." give ".". */
int r53_norm_name(const char *in, char *out, size_t n);
/* Sort key for Route 53's record order: labels reversed, separated by \x01. */
void r53_sort_key(const char *norm, char *out, size_t n);
/* Does norm (normalised) lie in zone (normalised)? */
int r53_in_zone(const char *norm, const char *zone);
/* MaxItems / MaxResults (string or number) clamped to [1, max]; dflt when absent. */
int r53_max_items(const cJSON *in, const char *key, int dflt, int max);
/* How long a change stays PENDING: meta "route53.change_delay_ms" or 60 s. */
int64_t r53_change_delay_ms(sim_t *s);
/* New change record; fills out[key] = ChangeInfo {Id, Status, SubmittedAt, Comment}. */
void r53_change_info(req_t *r, const char *comment, cJSON *out, const char *key);
/* Zone document of `account` (bare id) or NULL. */
cJSON *r53_zone_get(sim_t *s, const char *account, const char *id);
/* Zone of r->account or NoSuchHostedZone. */
cJSON *r53_zone_or_err(req_t *r, const char *id, sim_error_t *e);
/* Location header value for a created resource path ("hostedzone/Z..."). */
void r53_location(cJSON *out, const char *path);

/* Record sets of a zone (table r53_rrset), in Route 53's order. */
cJSON *r53_rr_all(sim_t *s, const char *zone);
cJSON *r53_rr_named(sim_t *s, const char *zone, const char *name, const char *type /* NULL any */);
int r53_rr_count(sim_t *s, const char *zone);
int r53_rr_put(sim_t *s, const char *zone, const cJSON *rr);
int r53_rr_del(sim_t *s, const char *zone, const char *name, const char *type, const char *setid);
void r53_rr_del_zone(sim_t *s, const char *zone);

/* ---- route53_health.c ---- */
/* Reported status of a health check of `account` at `now` (Disabled/Inverted/children applied):
 * 1 healthy, 0 unhealthy, -1 no such check. */
int r53_hc_healthy(sim_t *s, const char *account, const char *id, int64_t now);
/* Bring every health check's stored state up to `now` (before faults or configs change). */
void r53_hc_settle_all(sim_t *s, int64_t now);
/* Health of an AWS resource behind an alias (EvaluateTargetHealth): unhealthy while an
 * fqdn fault on its DNS name (without "dualstack.") is active. */
int r53_target_healthy(sim_t *s, const char *fqdn, int64_t now);
int r53_schema_health(sim_t *s);

/* ---- op handlers defined outside route53.c ---- */
#define R53_OP(name) int op_##name(req_t *r, const cJSON *in, cJSON *out, sim_error_t *e)
R53_OP(CreateHealthCheck);
R53_OP(UpdateHealthCheck);
R53_OP(DeleteHealthCheck);
R53_OP(GetHealthCheck);
R53_OP(ListHealthChecks);
R53_OP(GetHealthCheckCount);
R53_OP(GetHealthCheckStatus);
R53_OP(GetHealthCheckLastFailureReason);
R53_OP(GetCheckerIpRanges);
R53_OP(TestDNSAnswer);
R53_OP(CreateTrafficPolicy);
R53_OP(CreateTrafficPolicyVersion);
R53_OP(GetTrafficPolicy);
R53_OP(DeleteTrafficPolicy);
R53_OP(UpdateTrafficPolicyComment);
R53_OP(ListTrafficPolicies);
R53_OP(ListTrafficPolicyVersions);
R53_OP(CreateTrafficPolicyInstance);
R53_OP(GetTrafficPolicyInstance);
R53_OP(UpdateTrafficPolicyInstance);
R53_OP(DeleteTrafficPolicyInstance);
R53_OP(GetTrafficPolicyInstanceCount);
R53_OP(ListTrafficPolicyInstances);
R53_OP(ListTrafficPolicyInstancesByHostedZone);
R53_OP(ListTrafficPolicyInstancesByPolicy);
R53_OP(CreateQueryLoggingConfig);
R53_OP(GetQueryLoggingConfig);
R53_OP(DeleteQueryLoggingConfig);
R53_OP(ListQueryLoggingConfigs);
R53_OP(CreateKeySigningKey);
R53_OP(ActivateKeySigningKey);
R53_OP(DeactivateKeySigningKey);
R53_OP(DeleteKeySigningKey);
R53_OP(EnableHostedZoneDNSSEC);
R53_OP(DisableHostedZoneDNSSEC);
R53_OP(GetDNSSEC);
R53_OP(CreateCidrCollection);
R53_OP(ChangeCidrCollection);
R53_OP(DeleteCidrCollection);
R53_OP(ListCidrCollections);
R53_OP(ListCidrBlocks);
R53_OP(ListCidrLocations);
R53_OP(GetGeoLocation);
R53_OP(ListGeoLocations);

/* route53_extra.c: CIDR collection lookups the resolver and record validation use. */
cJSON *r53_cidr_get(sim_t *s, const char *account, const char *id);
/* route53_geo.c: is this a known Route 53 geolocation? */
int r53_geo_valid(const char *continent, const char *country, const char *subdivision);

#endif
