/*
 * auth.c — credentials store and AWS Signature Version 4.
 *
 * Canonical request (non-S3 rules): METHOD \n uri-encode(path as sent) \n sorted, encoded query
 * \n lowercase signed headers with trimmed values \n signed header list \n payload hash
 * (x-amz-content-sha256 when sent, else SHA-256 of the body). Key: HMAC chain over date, region,
 * service, "aws4_request". Secrets and session tokens are never logged.
 */
#include "core/auth.h"

#include <ctype.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/rng.h"
#include "core/store.h"

int auth_init_schema(sim_t *s) {
    return db_exec(s,
                   "CREATE TABLE IF NOT EXISTS awssim_credentials(access_key TEXT PRIMARY KEY, secret TEXT,"
                   " token TEXT, account TEXT, arn TEXT, userid TEXT, expires_ms INTEGER, chained INTEGER,"
                   " source_identity TEXT, permanent INTEGER DEFAULT 0)");
}

static int put_cred(sim_t *s, const cred_t *c, int permanent) {
    s->cred_gen++;
    sqlite3_stmt *st =
        db_prepare(s, "INSERT OR REPLACE INTO awssim_credentials(access_key,secret,token,account,"
                      "arn,userid,expires_ms,chained,source_identity,permanent) "
                      "VALUES(?,?,?,?,?,?,?,?,?,?)");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, c->access_key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->secret, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->token, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, c->account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, c->arn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, c->userid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, c->expires_ms);
    sqlite3_bind_int(st, 8, c->chained);
    sqlite3_bind_text(st, 9, c->source_identity, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 10, permanent);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

int auth_issue(sim_t *s, const char *prefix, const char *account, const char *arn, const char *userid,
               int64_t expires_ms, int chained, const char *source_identity, cred_t *out) {
    memset(out, 0, sizeof *out);
    char id[17];
    rng_upper_alnum(s, id, 16);
    snprintf(out->access_key, sizeof out->access_key, "%s%s", prefix, id);
    rng_chars(s, out->secret, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    if (strcmp(prefix, "ASIA") == 0) {
        char body[357];
        rng_chars(s, body, 356, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        snprintf(out->token, sizeof out->token, "IQoJb3JpZ2luX2VjE%s", body);
    }
    str_copy(out->account, sizeof out->account, account);
    str_copy(out->arn, sizeof out->arn, arn);
    str_copy(out->userid, sizeof out->userid, userid);
    str_copy(out->source_identity, sizeof out->source_identity, source_identity ? source_identity : "");
    out->expires_ms = expires_ms;
    out->chained = chained;
    return put_cred(s, out, 0);
}

/* Lenient mode answers every unknown key (a 12-digit key is that account): remember which keys
 * the table does not hold, until it changes, so the common case skips the SQLite lookup. */
static struct auth_miss *miss_slot(sim_t *s, const char *key) {
    size_t n = strlen(key);
    if (n >= sizeof s->auth_miss[0].key) return NULL;
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return &s->auth_miss[h % (sizeof s->auth_miss / sizeof s->auth_miss[0])];
}

int auth_lookup(sim_t *s, const char *access_key, cred_t *out) {
    struct auth_miss *miss = miss_slot(s, access_key);
    if (miss && miss->gen == s->cred_gen + 1 && strcmp(miss->key, access_key) == 0) return -1;
    sqlite3_stmt *st = db_prepare(s, "SELECT access_key,secret,token,account,arn,userid,expires_ms,chained,"
                                     "source_identity FROM awssim_credentials WHERE access_key=?");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, access_key, -1, SQLITE_TRANSIENT);
    int found = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
#define COL(i, f)                                                                                            \
    str_copy(out->f, sizeof out->f,                                                                          \
             sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "")
        COL(0, access_key);
        COL(1, secret);
        COL(2, token);
        COL(3, account);
        COL(4, arn);
        COL(5, userid);
        COL(8, source_identity);
#undef COL
        out->expires_ms = sqlite3_column_int64(st, 6);
        out->chained = sqlite3_column_int(st, 7);
        found = 0;
    } else if (miss) {
        str_copy(miss->key, sizeof miss->key, access_key);
        miss->gen = s->cred_gen + 1; /* +1: a zeroed slot never matches */
    }
    sqlite3_reset(st);
    return found;
}

int auth_load_accounts(sim_t *s, const char *path, char *err, size_t errlen) {
    char *text = read_file(path, NULL);
    if (!text) {
        snprintf(err, errlen, "cannot open %s", path);
        return -1;
    }
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "credentials");
    if (!cJSON_IsArray(list)) {
        snprintf(err, errlen, "%s: expected {\"credentials\": [...]}", path);
        cJSON_Delete(doc);
        return -1;
    }
    int i = 0;
    cJSON *c;
    cJSON_ArrayForEach(c, list) {
        i++;
        const char *ak = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "accessKeyId"));
        const char *sk = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "secretAccessKey"));
        const char *acct = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "account"));
        const char *user = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "userName"));
        if (!ak || !sk || !acct || strlen(acct) != 12 || strspn(acct, "0123456789") != 12) {
            snprintf(err, errlen,
                     "%s: credentials[%d] needs accessKeyId, secretAccessKey and a 12-digit account", path,
                     i - 1);
            cJSON_Delete(doc);
            return -1;
        }
        cred_t cr = {0};
        str_copy(cr.access_key, sizeof cr.access_key, ak);
        str_copy(cr.secret, sizeof cr.secret, sk);
        str_copy(cr.account, sizeof cr.account, acct);
        if (user) {
            snprintf(cr.arn, sizeof cr.arn, "arn:aws:iam::%s:user/%s", acct, user);
            snprintf(cr.userid, sizeof cr.userid, "AIDA%.16s", ak + (strlen(ak) > 4 ? 4 : 0));
        } else {
            snprintf(cr.arn, sizeof cr.arn, "arn:aws:iam::%s:root", acct);
            str_copy(cr.userid, sizeof cr.userid, acct);
        }
        put_cred(s, &cr, 1);
    }
    cJSON_Delete(doc);
    return 0;
}

/* ---- SigV4 ---- */

/* libcrypto's one-shot SHA256() and HMAC() fetch their algorithm by name on every call, under a
 * read-write lock: ~15 % of a verified request's CPU. The algorithms are fetched once here; each
 * thread keeps one HMAC context (re-keyed per use, its digest set once) and the last few signing
 * keys it derived, so a client's requests cost one HMAC, not five. */
#define SIGNING_KEYS 8

typedef struct {
    EVP_MAC_CTX *mac;
    struct {
        char secret[128], scope[160]; /* scope: date/region/service */
        unsigned char key[32];
    } keys[SIGNING_KEYS];
    unsigned next;
} sig_cache_t;

static EVP_MD *g_sha256;
static EVP_MAC *g_hmac;
static int g_debug_sigv4;
static pthread_key_t g_sig_key;
static pthread_once_t g_crypto_once = PTHREAD_ONCE_INIT;

static void sig_cache_free(void *p) {
    sig_cache_t *c = p;
    EVP_MAC_CTX_free(c->mac);
    OPENSSL_cleanse(c, sizeof *c);
    free(c);
}

static void crypto_init(void) {
    g_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    g_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    pthread_key_create(&g_sig_key, sig_cache_free);
    g_debug_sigv4 = getenv("AWSSIM_DEBUG_SIGV4") != NULL;
}

static sig_cache_t *sig_cache(void) {
    pthread_once(&g_crypto_once, crypto_init);
    sig_cache_t *c = pthread_getspecific(g_sig_key);
    if (!c) {
        c = calloc(1, sizeof *c);
        c->mac = EVP_MAC_CTX_new(g_hmac);
        OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string("digest", "SHA256", 0),
                          OSSL_PARAM_construct_end()};
        EVP_MAC_CTX_set_params(c->mac, p);
        pthread_setspecific(g_sig_key, c);
    }
    return c;
}

static void sha256_hex(const void *data, size_t n, char out[65]) {
    unsigned char md[SHA256_DIGEST_LENGTH];
    pthread_once(&g_crypto_once, crypto_init);
    EVP_Digest(data, n, md, NULL, g_sha256, NULL);
    hex_encode(md, sizeof md, out);
}

static void hmac(sig_cache_t *c, const unsigned char *key, size_t klen, const char *msg,
                 unsigned char out[32]) {
    size_t len;
    EVP_MAC_init(c->mac, key, klen, NULL);
    EVP_MAC_update(c->mac, (const unsigned char *)msg, strlen(msg));
    EVP_MAC_final(c->mac, out, &len, 32);
}

/* kSigning = HMAC chain over date, region, service and "aws4_request" from "AWS4" + secret */
static const unsigned char *signing_key(sig_cache_t *c, const char *secret, const sigv4_t *sig) {
    char scope[160];
    snprintf(scope, sizeof scope, "%s/%s/%s", sig->date, sig->region, sig->service);
    int cacheable = strlen(secret) < sizeof c->keys[0].secret;
    for (int i = 0; cacheable && i < SIGNING_KEYS; i++)
        if (!strcmp(c->keys[i].scope, scope) && !strcmp(c->keys[i].secret, secret)) return c->keys[i].key;
    unsigned slot = c->next++ % SIGNING_KEYS;
    char k0[160];
    snprintf(k0, sizeof k0, "AWS4%s", secret);
    unsigned char k1[32], k2[32], k3[32];
    hmac(c, (unsigned char *)k0, strlen(k0), sig->date, k1);
    hmac(c, k1, 32, sig->region, k2);
    hmac(c, k2, 32, sig->service, k3);
    hmac(c, k3, 32, "aws4_request", c->keys[slot].key);
    OPENSSL_cleanse(k0, sizeof k0);
    if (cacheable) {
        str_copy(c->keys[slot].secret, sizeof c->keys[slot].secret, secret);
        str_copy(c->keys[slot].scope, sizeof c->keys[slot].scope, scope);
    } else { /* never matched: the slot is only scratch space */
        c->keys[slot].secret[0] = c->keys[slot].scope[0] = 0;
    }
    return c->keys[slot].key;
}

/* strstr(s, key) for a short s: the setup of glibc's two-way search cost more than it saves */
static const char *find(const char *s, const char *key) {
    size_t kl = strlen(key);
    for (; (s = strchr(s, key[0])) != NULL; s++)
        if (strncmp(s, key, kl) == 0) return s;
    return NULL;
}

static int copy_field(const char *src, const char *key, char *out, size_t n) {
    const char *p = find(src, key);
    if (!p) return -1;
    p += strlen(key);
    size_t len = strcspn(p, ", ");
    if (len >= n) return -1;
    memcpy(out, p, len);
    out[len] = 0;
    return 0;
}

static int parse_credential(const char *cred, sigv4_t *o) {
    /* AKID/20150830/us-east-1/service/aws4_request */
    char buf[256];
    str_copy(buf, sizeof buf, cred);
    char *parts[5];
    int n = 0;
    for (char *t = strtok(buf, "/"); t && n < 5; t = strtok(NULL, "/"))
        parts[n++] = t;
    if (n != 5 || strcmp(parts[4], "aws4_request") != 0) return -1;
    str_copy(o->access_key, sizeof o->access_key, parts[0]);
    str_copy(o->date, sizeof o->date, parts[1]);
    str_copy(o->region, sizeof o->region, parts[2]);
    str_copy(o->service, sizeof o->service, parts[3]);
    return 0;
}

int sigv4_parse(const http_req_t *h, sigv4_t *o) {
    memset(o, 0, sizeof *o);
    const char *auth = h->header(h->hctx, "Authorization");
    if (auth) {
        if (strncmp(auth, "AWS4-HMAC-SHA256 ", 17) != 0) return -1;
        char cred[256];
        if (copy_field(auth, "Credential=", cred, sizeof cred) != 0 || parse_credential(cred, o) != 0)
            return -1;
        if (copy_field(auth, "SignedHeaders=", o->signed_headers, sizeof o->signed_headers) != 0) return -1;
        if (copy_field(auth, "Signature=", o->signature, sizeof o->signature) != 0) return -1;
        const char *d = h->header(h->hctx, "X-Amz-Date");
        if (!d) d = "";
        str_copy(o->amz_date, sizeof o->amz_date, d);
        const char *tok = h->header(h->hctx, "X-Amz-Security-Token");
        str_copy(o->token, sizeof o->token, tok ? tok : "");
        return 0;
    }
    if (h->query && strstr(h->query, "X-Amz-Signature=")) {
        cJSON *q = form_parse(h->query, strlen(h->query));
        const char *alg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "X-Amz-Algorithm"));
        const char *cred = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "X-Amz-Credential"));
        const char *date = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "X-Amz-Date"));
        const char *sh = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "X-Amz-SignedHeaders"));
        const char *sig = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "X-Amz-Signature"));
        const char *exp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "X-Amz-Expires"));
        const char *tok = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "X-Amz-Security-Token"));
        int rc = -1;
        if (alg && strcmp(alg, "AWS4-HMAC-SHA256") == 0 && cred && date && sh && sig &&
            parse_credential(cred, o) == 0) {
            str_copy(o->amz_date, sizeof o->amz_date, date);
            str_copy(o->signed_headers, sizeof o->signed_headers, sh);
            str_copy(o->signature, sizeof o->signature, sig);
            str_copy(o->token, sizeof o->token, tok ? tok : "");
            o->presigned = 1;
            o->expires_s = exp ? atoll(exp) : 900;
            rc = 0;
        }
        cJSON_Delete(q);
        return rc;
    }
    return 1;
}

typedef struct {
    char *k, *v;
} kv_t;

static int kv_cmp(const void *a, const void *b) {
    const kv_t *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    return c ? c : strcmp(x->v, y->v);
}

typedef struct {
    kv_t *kv;
    size_t n, cap;
    int presigned;
} kv_list_t;

static void kv_collect(char *k, char *v, void *ctx) {
    kv_list_t *l = ctx;
    if (l->presigned && strcmp(k, "X-Amz-Signature") == 0) return;
    strbuf_t ek, ev;
    sb_init(&ek);
    sb_init(&ev);
    sb_uri_encode(&ek, k, strlen(k), 0);
    sb_uri_encode(&ev, v, strlen(v), 0);
    if (l->n == l->cap) l->kv = realloc(l->kv, (l->cap = l->cap ? l->cap * 2 : 16) * sizeof *l->kv);
    l->kv[l->n].k = sb_detach(&ek, NULL);
    l->kv[l->n].v = sb_detach(&ev, NULL);
    l->n++;
}

/* Keys and values URI-encoded, sorted by key then value, X-Amz-Signature left out when presigned. */
static void canonical_query(const char *query, int presigned, strbuf_t *b) {
    if (!query || !*query) return;
    kv_list_t l = {.presigned = presigned};
    query_each(query, strlen(query), 0, kv_collect, &l);
    if (l.n) qsort(l.kv, l.n, sizeof *l.kv, kv_cmp); /* qsort(NULL, 0) is UB (UBSan, fuzz_sigv4: "?&&&") */
    for (size_t x = 0; x < l.n; x++) {
        if (x) sb_putc(b, '&');
        sb_printf(b, "%s=%s", l.kv[x].k, l.kv[x].v);
        free(l.kv[x].k);
        free(l.kv[x].v);
    }
    free(l.kv);
}

static void canonical_header_value(const char *v, strbuf_t *b) {
    while (*v == ' ' || *v == '\t')
        v++;
    size_t len = strlen(v);
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        if (v[i] == ' ' || v[i] == '\t') {
            space = 1;
            continue;
        }
        if (space) sb_putc(b, ' ');
        space = 0;
        sb_putc(b, v[i]);
    }
}

void sigv4_sign(const http_req_t *h, const sigv4_t *sig, const char *secret, char out[65]) {
    sig_cache_t *c = sig_cache();
    strbuf_t cr;
    sb_init(&cr);
    sb_printf(&cr, "%s\n", h->method);
    const char *path = h->path && *h->path ? h->path : "/";
    sb_uri_encode(&cr, path, strlen(path), 1);
    sb_putc(&cr, '\n');
    canonical_query(h->query, sig->presigned, &cr);
    sb_putc(&cr, '\n');
    char names[512];
    str_copy(names, sizeof names, sig->signed_headers);
    for (char *save = NULL, *t = strtok_r(names, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        const char *v = h->header(h->hctx, t);
        sb_printf(&cr, "%s:", t);
        if (v) canonical_header_value(v, &cr);
        sb_putc(&cr, '\n');
    }
    sb_printf(&cr, "\n%s\n", sig->signed_headers);
    const char *ph = h->header(h->hctx, "X-Amz-Content-Sha256");
    char body_hash[65];
    if (ph) {
        sb_puts(&cr, ph);
    } else if (sig->presigned && strcmp(sig->service, "s3") == 0) { /* S3 presigns UNSIGNED-PAYLOAD */
        sb_puts(&cr, "UNSIGNED-PAYLOAD");
    } else {
        sha256_hex(h->body ? h->body : "", h->body_len, body_hash);
        sb_puts(&cr, body_hash);
    }
    char cr_hash[65];
    if (g_debug_sigv4) fprintf(stderr, "canonical request:\n%s\n", cr.buf);
    sha256_hex(cr.buf, cr.len, cr_hash);
    sb_free(&cr);
    char sts[512];
    snprintf(sts, sizeof sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", sig->amz_date, sig->date,
             sig->region, sig->service, cr_hash);
    unsigned char final[32];
    hmac(c, signing_key(c, secret, sig), 32, sts, final);
    hex_encode(final, 32, out);
}

static int64_t amz_date_ms(const char *d) {
    /* yyyymmddThhmmssZ */
    char iso[32];
    if (strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z') return -1;
    snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", d, d + 4, d + 6, d + 9, d + 11, d + 13);
    return parse_iso8601(iso);
}

/* c->arn = "arn:aws:iam::ACCOUNT:root" (fits: account is at most 15 characters) */
static void root_arn(caller_t *c) {
    size_t n = strlen(c->account);
    memcpy(c->arn, "arn:aws:iam::", 13);
    memcpy(c->arn + 13, c->account, n);
    memcpy(c->arn + 13 + n, ":root", 6);
}

static int is_account_id(const char *k) {
    return strlen(k) == 12 && strspn(k, "0123456789") == 12;
}

int auth_resolve(sim_t *s, const http_req_t *h, int64_t wall_ms, caller_t *c, sim_error_t *e) {
    memset(c, 0, sizeof *c);
    str_copy(c->account, sizeof c->account, DEFAULT_ACCOUNT);
    str_copy(c->region, sizeof c->region, DEFAULT_REGION);
    sigv4_t sig;
    int rc = sigv4_parse(h, &sig);
    if (rc < 0)
        return sim_err(e, 400, "IncompleteSignature",
                       "Authorization header requires 'Credential', "
                       "'Signature', 'SignedHeaders' parameters");
    if (rc == 1) {
        root_arn(c);
        str_copy(c->userid, sizeof c->userid, c->account);
        if (s->auth_strict)
            return sim_err(e, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        return 0;
    }
    str_copy(c->region, sizeof c->region, sig.region);
    str_copy(c->service, sizeof c->service, sig.service);
    str_copy(c->access_key, sizeof c->access_key, sig.access_key);
    cred_t cr;
    int known = auth_lookup(s, sig.access_key, &cr) == 0;
    if (!known) {
        if (s->auth_strict)
            return sim_err(e, 403, "InvalidClientTokenId",
                           "The security token included in the request is invalid.");
        if (is_account_id(sig.access_key)) str_copy(c->account, sizeof c->account, sig.access_key);
        root_arn(c);
        str_copy(c->userid, sizeof c->userid, c->account);
        return 0;
    }
    /* Known key: the signature must match, the token must match, the session must be live. */
    int64_t signed_ms = amz_date_ms(sig.amz_date);
    if (signed_ms < 0) return sim_err(e, 400, "IncompleteSignature", "Missing or invalid X-Amz-Date");
    if (sig.presigned) {
        /* SigV4: a presigned URL lives 1 s to 7 days (X-Amz-Expires); larger values also overflowed
         * the expiry sum (fuzz_sigv4, FINDINGS #15) */
        if (sig.expires_s < 1 || sig.expires_s > 604800)
            return sim_err(e, 400, "AuthorizationQueryParametersError",
                           "X-Amz-Expires must be less than a week (in seconds) that is; 604800");
        if (wall_ms > signed_ms + sig.expires_s * 1000)
            return sim_err(e, 403, "RequestExpired", "Request has expired.");
    } else if (s->auth_strict && (wall_ms - signed_ms > 15 * 60000 || signed_ms - wall_ms > 15 * 60000)) {
        char sd[32], now[32];
        fmt_iso8601(signed_ms, sd);
        fmt_iso8601(wall_ms, now);
        return sim_err(e, 403, "SignatureDoesNotMatch",
                       "Signature expired: %s is now earlier than %s (%s - 15 min.)", sig.amz_date, now, now);
    }
    char expect[65];
    sigv4_sign(h, &sig, cr.secret, expect);
    if (strcmp(expect, sig.signature) != 0)
        return sim_err(
            e, 403, "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your "
            "AWS Secret Access Key and signing method. Consult the service documentation for details.");
    if (cr.token[0] && strcmp(cr.token, sig.token) != 0)
        return sim_err(e, 403, "InvalidClientTokenId",
                       "The security token included in the request is invalid.");
    if (cr.expires_ms && clock_now_ms(s) >= cr.expires_ms)
        return sim_err(e, 403, "ExpiredToken", "The security token included in the request is expired");
    str_copy(c->account, sizeof c->account, cr.account);
    str_copy(c->arn, sizeof c->arn, cr.arn);
    str_copy(c->userid, sizeof c->userid, cr.userid);
    return 0;
}
