/*
 * rng.c — xoshiro256** seeded through splitmix64. The state is part of sim_t; nothing else in
 * awssim may call rand(), random() or read /dev/urandom, so replays are byte-identical.
 */
#include "core/rng.h"

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

void rng_seed(sim_t *s, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        s->rng_state[i] = splitmix64(&x);
}

void rng_seed_stream(sim_t *s, uint64_t seed, uint64_t stream) {
    uint64_t x = stream;
    rng_seed(s, stream ? seed ^ splitmix64(&x) : seed);
}

uint64_t rng_next(sim_t *s) {
    uint64_t *st = s->rng_state;
    uint64_t result = rotl(st[1] * 5, 7) * 9;
    uint64_t t = st[1] << 17;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 45);
    return result;
}

void rng_save(const sim_t *s, char out[65]) {
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 16; k++)
            out[i * 16 + k] = hex[(s->rng_state[i] >> (60 - 4 * k)) & 15];
    out[64] = 0;
}

int rng_load(sim_t *s, const char *hex) {
    uint64_t st[4] = {0};
    for (int i = 0; i < 64; i++) {
        char c = hex[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0) return -1; /* also a string shorter than 64 */
        st[i / 16] = st[i / 16] << 4 | (uint64_t)v;
    }
    if (hex[64] || !(st[0] | st[1] | st[2] | st[3])) return -1; /* xoshiro's state is never all zero */
    for (int i = 0; i < 4; i++)
        s->rng_state[i] = st[i];
    return 0;
}

double rng_unit(sim_t *s) {
    return (double)(rng_next(s) >> 11) * 0x1.0p-53;
}

void rng_chars(sim_t *s, char *out, int n, const char *alphabet) {
    int len = 0;
    while (alphabet[len])
        len++;
    for (int i = 0; i < n; i++)
        out[i] = alphabet[rng_next(s) % (uint64_t)len];
    out[n] = 0;
}

void rng_hex(sim_t *s, char *out, int n) {
    rng_chars(s, out, n, "0123456789abcdef");
}

void rng_upper_alnum(sim_t *s, char *out, int n) {
    rng_chars(s, out, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}

void rng_uuid(sim_t *s, char out[37]) {
    char h[33];
    rng_hex(s, h, 32);
    h[12] = '4';
    h[16] = "89ab"[rng_next(s) % 4];
    int k = 0;
    for (int i = 0; i < 32; i++) {
        if (i == 8 || i == 12 || i == 16 || i == 20) out[k++] = '-';
        out[k++] = h[i];
    }
    out[36] = 0;
}
