/*
 * auth.h — who is calling: access keys awssim knows (issued by STS, or listed in --accounts),
 * SigV4 parsing and verification (Authorization header and presigned query).
 *
 * Accounts come from access keys: a 12-digit key is that account (as LocalStack does); other
 * unknown keys map to 000000000000. Keys awssim knows the secret of are always verified;
 * --auth strict also refuses unknown keys.
 */
#ifndef AWSSIM_AUTH_H
#define AWSSIM_AUTH_H

#include "core/sim.h"
#include "proto/proto.h"

typedef struct cred {
    char access_key[32];
    char secret[64];
    char token[512]; /* session token ("" for long-term keys) */
    char account[16];
    char arn[300];
    char userid[160];
    char source_identity[80];
    int64_t expires_ms; /* 0 = never */
    int chained;        /* issued by AssumeRole to a role session (role chaining limit applies) */
} cred_t;

typedef struct sigv4 {
    char access_key[64];
    char date[16]; /* yyyymmdd from the scope */
    char region[32];
    char service[32];
    char amz_date[20]; /* yyyymmddThhmmssZ */
    char signed_headers[512];
    char signature[80];
    char token[1100];
    int presigned;
    int64_t expires_s; /* presigned X-Amz-Expires */
} sigv4_t;

int auth_init_schema(sim_t *s);
/* Issue and store credentials. prefix "ASIA" (session) or "AKIA" (long-term). */
int auth_issue(sim_t *s, const char *prefix, const char *account, const char *arn, const char *userid,
               int64_t expires_ms, int chained, const char *source_identity, cred_t *out);
int auth_lookup(sim_t *s, const char *access_key, cred_t *out); /* 0 found, -1 not */
/* Load {"credentials":[{"accessKeyId","secretAccessKey","account","userName"?}]} */
int auth_load_accounts(sim_t *s, const char *path, char *err, size_t errlen);

/* Parse the Authorization header or presigned query. 0 ok, 1 no auth present, -1 malformed. */
int sigv4_parse(const http_req_t *h, sigv4_t *out);
/* Compute the signature hex for the request with secret. */
void sigv4_sign(const http_req_t *h, const sigv4_t *sig, const char *secret, char out[65]);

/* Resolve the caller. Fills account/arn/userid; on refusal fills e with the protocol-neutral code
 * (InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken, MissingAuthenticationToken,
 * IncompleteSignature, RequestExpired); the front maps them to JSON names. */
typedef struct caller {
    char account[16];
    char region[32];
    char service[32]; /* signing service from the scope, "" when unsigned */
    char access_key[64];
    char arn[300];
    char userid[160];
} caller_t;
int auth_resolve(sim_t *s, const http_req_t *h, int64_t wall_ms, caller_t *c, sim_error_t *e);

#endif
