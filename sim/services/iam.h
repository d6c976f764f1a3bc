/*
 * iam.h — what other services need from IAM: looking a role up by ARN, and the policy
 * document rules shared by trust policies and inline policies.
 */
#ifndef AWSSIM_IAM_H
#define AWSSIM_IAM_H

#include "core/sim.h"

/* The stored role document for arn:aws:iam::ACCOUNT:role[/path]/NAME, or NULL. Caller frees. */
cJSON *iam_role_by_arn(sim_t *s, const char *arn);
/* Validate a policy document (JSON text). trust=1 applies trust-policy rules. */
int iam_policy_validate(sim_t *s, const char *text, int trust, sim_error_t *e);

#endif
