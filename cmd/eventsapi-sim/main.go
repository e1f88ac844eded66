// Command eventsapi-sim serves the bundled 1Password Events API simulator
// on a local address, for the `make run` demo and for end-to-end tests that
// run the collector against it as a separate process.
//
// It prints one line per account (its UUID, never its token) and then
// "listening on http://ADDR"; by then the token file, if requested, is
// written and the server accepts connections. It serves until SIGINT or
// SIGTERM. The admin API (/_sim/stats, /_sim/faults, /_sim/events,
// /_sim/reset) is described in package internal/simulator.
//
// The Users API of the first account is served on the same address (package
// internal/simulator/usersim, admin routes under /_sim/users/), seeded with
// -users users; it prints the account and the OAuth client id, and writes
// the client id and secret to -users-credentials-file, never to the output.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "eventsapi-sim:", err)
		os.Exit(1)
	}
}

type options struct {
	addr             string
	accounts         int
	events           int
	rate             float64
	lateFraction     float64
	rpm, rph         int
	seed             uint64
	tokenFile        string
	features         []string
	tokenTTL         time.Duration
	allowNonLoopback bool
	audience         string
	errorShape       simulator.ErrorShape
	users            int
	usersCredentials string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("eventsapi-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8900", "listen address (loopback only unless -allow-non-loopback)")
	fs.IntVar(&o.accounts, "accounts", 1, "number of accounts, each with its own token, events and rate limit")
	fs.IntVar(&o.events, "events", 2000, "events generated per stream per account at start, spread over the last 7 days")
	fs.Float64Var(&o.rate, "rate", 1, "new events per second per stream per account (0 = none)")
	fs.Float64Var(&o.lateFraction, "late-fraction", 0.05, "fraction of new events that arrive late (timestamps 1-30 minutes old)")
	fs.IntVar(&o.rpm, "rpm", simulator.DefaultRequestsPerMinute, "requests per minute per account (0 = unlimited)")
	fs.IntVar(&o.rph, "rph", simulator.DefaultRequestsPerHour, "requests per hour per account (0 = unlimited)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed for account UUIDs and generated events")
	fs.StringVar(&o.tokenFile, "token-file", "", "write the accounts' tokens to this file, one per line, in account order (mode 0600)")
	features := fs.String("features", strings.Join(simulator.Streams, ","), "comma-separated token features")
	fs.DurationVar(&o.tokenTTL, "token-ttl", 0, "token lifetime (0 = the tokens never expire)")
	fs.BoolVar(&o.allowNonLoopback, "allow-non-loopback", false, "allow listening on a non-loopback address (also opens the admin API to remote clients)")
	fs.StringVar(&o.audience, "audience", "", "host in the tokens' aud claim (default: the listen address)")
	fs.IntVar(&o.users, "users", 50, "users of the first account's simulated Users API at start (every tenth one SUSPENDED)")
	fs.StringVar(&o.usersCredentials, "users-credentials-file", "", "write the Users API client id and client secret to this file, one per line (mode 0600)")
	shape := fs.String("error-shape", "observed", `error body shape: observed ({"Error":{"Message":...}}) or documented ({"status":...,"message":...})`)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	switch {
	case o.accounts < 1:
		return o, errors.New("-accounts must be at least 1")
	case o.events < 0:
		return o, errors.New("-events must be >= 0")
	case o.rate < 0:
		return o, errors.New("-rate must be >= 0")
	case o.lateFraction < 0 || o.lateFraction > 1:
		return o, errors.New("-late-fraction must be between 0 and 1")
	case o.rpm < 0 || o.rph < 0:
		return o, errors.New("-rpm and -rph must be >= 0 (0 = unlimited)")
	case o.tokenTTL < 0:
		return o, errors.New("-token-ttl must be >= 0")
	case o.users < 0:
		return o, errors.New("-users must be >= 0")
	}
	for _, f := range strings.Split(*features, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		known := false
		for _, s := range simulator.Streams {
			known = known || s == f
		}
		if !known {
			return o, fmt.Errorf("-features: unknown feature %q (want any of %s)", f, strings.Join(simulator.Streams, ", "))
		}
		o.features = append(o.features, f)
	}
	if len(o.features) == 0 {
		return o, errors.New("-features must name at least one feature")
	}
	switch *shape {
	case "observed":
		o.errorShape = simulator.ErrorShapeObserved
	case "documented":
		o.errorShape = simulator.ErrorShapeDocumented
	default:
		return o, fmt.Errorf("-error-shape %q: want observed or documented", *shape)
	}
	return o, nil
}

// checkLoopback refuses addresses that would expose the simulator (whose
// admin API needs no token) beyond this machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	if host == "" {
		host = "every interface"
	}
	return fmt.Errorf("-addr %q listens on %s, not on loopback; pass -allow-non-loopback to do this deliberately", addr, host)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if !o.allowNonLoopback {
		if err := checkLoopback(o.addr); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()

	now := time.Now()
	audience := o.audience
	if audience == "" {
		audience = ln.Addr().String()
	}
	accts := make([]simulator.AccountConfig, o.accounts)
	for i := range accts {
		accts[i].TokenFeatures = o.features
		if o.tokenTTL > 0 {
			accts[i].TokenExpiresAt = now.Add(o.tokenTTL)
		}
	}
	sim := simulator.New(simulator.Config{
		Accounts:         accts,
		Audience:         audience,
		RateLimit:        &simulator.RateLimitConfig{RequestsPerMinute: o.rpm, RequestsPerHour: o.rph},
		ErrorShape:       o.errorShape,
		Seed:             o.seed,
		AllowRemoteAdmin: o.allowNonLoopback,
		Continuous:       simulator.ContinuousConfig{EventsPerSecond: o.rate, LateFraction: o.lateFraction},
	})
	defer sim.Close()

	var tokens []string
	for i, acct := range sim.Accounts() {
		for _, st := range simulator.Streams {
			if err := sim.AddEvents(acct, st, o.events, simulator.GenOptions{Start: now.Add(-7 * 24 * time.Hour), End: now}); err != nil {
				return err
			}
		}
		tokens = append(tokens, sim.Tokens(acct)[0])
		fmt.Fprintf(stdout, "account %d: uuid=%s features=%s events=%d per stream\n", i+1, acct, strings.Join(o.features, ","), o.events)
	}
	if o.tokenFile != "" {
		if err := os.WriteFile(o.tokenFile, []byte(strings.Join(tokens, "\n")+"\n"), 0o600); err != nil {
			return fmt.Errorf("writing -token-file: %w", err)
		}
		fmt.Fprintf(stdout, "tokens written to %s\n", o.tokenFile)
	} else {
		fmt.Fprintln(stderr, "eventsapi-sim: no -token-file given; the tokens are not written anywhere")
	}

	users, err := mountUsers(sim, o, stdout)
	if err != nil {
		return err
	}

	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	fmt.Fprint(stdout, receiverSnippet(url, o.tokenFile))
	fmt.Fprint(stdout, usersSnippet(url, users.ClientID(), o.usersCredentials))
	fmt.Fprintf(stdout, "listening on %s (admin API at %s/_sim/)\n", url, url)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Release delayed requests first, then let in-flight answers finish.
	sim.Close()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// mountUsers serves the first account's Users API beside the Events API,
// with a client secret of its own for this run.
func mountUsers(sim *simulator.Server, o options, stdout io.Writer) (*usersim.Sim, error) {
	var secret [24]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return nil, err
	}
	users := usersim.New(usersim.Config{AccountID: sim.Accounts()[0], ClientSecret: hex.EncodeToString(secret[:])})
	users.Generate(o.users)
	sim.MountUsers(users)
	fmt.Fprintf(stdout, "users api: account=%s client_id=%s users=%d\n", users.AccountID(), users.ClientID(), o.users)
	if o.usersCredentials != "" {
		body := users.ClientID() + "\n" + users.ClientSecret() + "\n"
		if err := os.WriteFile(o.usersCredentials, []byte(body), 0o600); err != nil {
			return nil, fmt.Errorf("writing -users-credentials-file: %w", err)
		}
		fmt.Fprintf(stdout, "users api credentials written to %s\n", o.usersCredentials)
	}
	return users, nil
}

// usageText heads -h: what the simulator is and how to steer it.
const usageText = `eventsapi-sim serves a simulated 1Password Events API on a local address:
the v1 and v2 endpoints of audit events, item usages and sign-in attempts,
introspect, cursor paging, late arrivals and the API's rate limits.

The receiver reads it with plain http, so its config needs the endpoint:
  receivers:
    onepassword:
      token: ${env:OP_EVENTS_API_TOKEN}   # a line of -token-file
      endpoint: http://127.0.0.1:8900     # without it: "server gave HTTP response to HTTPS client"

The first account's Users API is served on the same address (OAuth client
credentials in -users-credentials-file; admin routes under /_sim/users/:
stats, users, apply, before_next_page, generate, fault, expire_tokens).

Admin API (loopback only), under /_sim/:
  GET  /_sim/stats             requests served, by path and status
  GET  /_sim/faults            the faults in force
  POST /_sim/faults            inject faults, e.g.
       {"too_many_requests":{"count":3,"retry_after":"seconds","seconds":2}}
       {"server_errors":{"count":2,"status":503}}   {"unauthorized":{"count":2}}
       {"delay":"700ms"}  {"reject_cursors":{"count":1}}
       {"truncate_bodies":{"count":1}}  {"malform_bodies":{"count":1}}
       (each may carry "path": a stream such as "itemusages", or an exact path)
  POST /_sim/events            add events: {"stream":"itemusages","count":100}
  POST /_sim/reset             clear faults and rate-limit windows

Flags:
`

// receiverSnippet is a receiver block to paste into a collector config.
func receiverSnippet(url, tokenFile string) string {
	tokenNote := "the token of account 1"
	if tokenFile != "" {
		tokenNote = "the first line of " + tokenFile
	}
	return "receiver config (plain http: the simulator has no TLS):\n" +
		"  receivers:\n" +
		"    onepassword:\n" +
		"      token: ${env:OP_EVENTS_API_TOKEN}   # " + tokenNote + "\n" +
		"      endpoint: " + url + "\n"
}

// usersSnippet is the users section to add under that receiver.
func usersSnippet(url, clientID, credentialsFile string) string {
	secretNote := "the simulator's client secret"
	if credentialsFile != "" {
		secretNote = "the second line of " + credentialsFile
	}
	return "      users:                              # the Users API of account 1\n" +
		"        enabled: true\n" +
		"        client_id: " + clientID + "\n" +
		"        client_secret: ${env:OP_USERS_CLIENT_SECRET}   # " + secretNote + "\n" +
		"        endpoint: " + url + "\n"
}
