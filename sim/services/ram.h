/*
 * ram.h — hooks of the AWS RAM simulation (sim/services/ram.c) that other parts of awssim call.
 *
 * ram_set_organization: the simple Organizations model RAM consults (control API
 *   POST /_awssim/ram/organization). ram_resource_visible: whether an account may see a resource
 *   ARN (it owns it, or it is shared with it through an accepted invitation or the organization).
 * ram_create_share_from_policy: what attaching a resource-based policy does in AWS — a
 *   CREATED_FROM_POLICY resource share with its permission (input to the Promote* operations).
 */
#ifndef AWSSIM_RAM_H
#define AWSSIM_RAM_H

#include "core/sim.h"

/* spec: {"organizationId":"o-...","masterAccount":"111111111111","accounts":["...", ...],
 *        "organizationalUnits":[{"id":"ou-...","accounts":[...]}]  (optional)}
 * A null spec or {} removes the organization (and its sharing flag). Returns 0 or -1 with e set
 * (400 InvalidParameterException on a malformed spec). */
int ram_set_organization(sim_t *s, const cJSON *spec, sim_error_t *e);

/* 1 when `account` owns resource_arn (account field of the ARN) or the resource is in an ACTIVE
 * share whose principal association covering `account` is ASSOCIATED (invitation accepted, or
 * organization / OU sharing). 0 otherwise (pending, rejected, expired, disassociated, deleted, or
 * access that came through the organization after the account left it, unless the share sets
 * retainSharingOnAccountLeaveOrganization). CREATED_FROM_POLICY shares count: the policy grants access. */
int ram_resource_visible(sim_t *s, const char *account, const char *resource_arn);

/* Create a CREATED_FROM_POLICY share for resource_arn owned by account in region, shared with
 * principal (account id), whose permission carries policy_template ({"Effect":"Allow",...}).
 * share_arn/perm_arn (256 bytes each, may be NULL) receive the new ARNs. 0 or -1 with e set. */
int ram_create_share_from_policy(sim_t *s, const char *account, const char *region, const char *resource_arn,
                                 const char *principal, const char *policy_template, char *share_arn,
                                 char *perm_arn, sim_error_t *e);

#endif
