// Package simulator is an in-process stand-in for the 1Password Events API
// (v1 and v2 endpoints, introspection, errors, rate limits and faults).
//
// It exists so that unit tests, end-to-end tests, benchmarks and the
// `make run` demo can exercise the receiver against something that behaves
// like the real service: opaque HMAC-protected cursors over an append-only
// log per account and stream, the same cursor echoed once caught up, late
// arrivals that only a continuing cursor delivers, the 120-day retention,
// 600/min and 30,000/h request limits, and the documented error bodies.
//
// Events are kept as 16-byte records (timestamp and generation seed) and
// rendered into JSON per page, so a stream can hold millions of events and a
// 1,000-item page is built in well under two milliseconds.
//
// Faults (429 and 5xx bursts, slow, truncated or malformed answers, rejected
// cursors, empty pages without a cursor) can be switched at runtime through Go
// methods or through the admin API under /_sim/, which a test driving a
// separate simulator process can use.
package simulator
