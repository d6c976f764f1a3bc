/*
 * clock.h — the only source of time in awssim, and the timer queue.
 *
 * Virtual mode: time moves only through clock_advance/clock_set; each due timer fires in
 * (due, id) order with the clock set to its due time. Real mode: a ticker thread follows the
 * wall clock and fires due timers. Timers live in SQLite (table awssim_timers) so they are part
 * of snapshots and reset with the state.
 */
#ifndef AWSSIM_CLOCK_H
#define AWSSIM_CLOCK_H

#include "core/sim.h"

int64_t clock_now_ms(sim_t *s);
/* Move virtual time forward by ms (>= 0), firing due timers in order. Returns timers fired. */
int clock_advance(sim_t *s, int64_t ms);
/* Jump to an absolute time (may not go backwards). Returns timers fired, -1 when target < now. */
int clock_set(sim_t *s, int64_t target_ms);
/* Fire timers due at or before now (real mode ticker, and after set/advance). */
int clock_fire_due(sim_t *s);

/* Schedule a timer for a service; ref identifies the resource (execution ARN, task ARN, ...).
 * payload is an opaque string (often JSON). Returns the timer id. */
int64_t timer_schedule(sim_t *s, int64_t due_ms, const char *service, const char *kind, const char *account,
                       const char *region, const char *ref, const char *payload);
/* Cancel all timers of (service, ref); kind NULL = any kind. Returns how many were removed. */
int timer_cancel(sim_t *s, const char *service, const char *kind, const char *ref);
/* Due time of the earliest pending timer, or -1. */
int64_t timer_next_due(sim_t *s);

/* Time formats. buf must hold 32 bytes. */
void fmt_iso8601(int64_t ms, char *buf);    /* 2026-11-22T21:13:26Z (ms dropped when 0) */
void fmt_iso8601_ms(int64_t ms, char *buf); /* 2026-11-22T21:13:26.123Z */
void fmt_rfc1123(int64_t ms, char *buf);    /* Sun, 22 Nov 2026 21:13:26 GMT */
/* Parse ISO-8601 (with Z or +hh:mm, optional fraction) or epoch seconds. -1 on failure. */
int64_t parse_iso8601(const char *text);

#endif
