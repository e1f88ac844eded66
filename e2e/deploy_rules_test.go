//go:build e2e && deploy

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
	"go.yaml.in/yaml/v3"
)

// alertRule is one rule of deploy/prometheus/*.rules.yaml.
type alertRule struct {
	File  string
	Alert string `yaml:"alert"`
	Expr  string `yaml:"expr"`
}

// labelMatcher is one name op "value" of a selector.
type labelMatcher struct{ Name, Op, Value string }

// metricSelector is a metric name and its label matchers.
type metricSelector struct {
	Metric   string
	Matchers []labelMatcher
}

// exprRefs is what an expression needs from the scrape: the collector's
// metrics it selects, and the labels it groups or matches by.
type exprRefs struct {
	Selectors []metricSelector
	Grouping  []string
}

var (
	// A metric name of the collector, with its {matchers} if any. Other
	// identifiers (functions, label names, keywords) do not start with
	// otelcol_.
	selectorRE = regexp.MustCompile(`\b(otelcol_[a-zA-Z0-9_:]*)\s*(\{[^}]*\})?`)
	matcherRE  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"`)
	groupingRE = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)`)
)

// parseExprRefs reads the metric selectors and grouping labels of a PromQL
// expression. It is not a PromQL parser; it reads the subset the rules use
// (TestDeployRuleExprParsing pins it down), which is enough to notice a
// renamed metric or label.
func parseExprRefs(expr string) exprRefs {
	var refs exprRefs
	for _, m := range selectorRE.FindAllStringSubmatch(expr, -1) {
		sel := metricSelector{Metric: m[1]}
		for _, lm := range matcherRE.FindAllStringSubmatch(m[2], -1) {
			sel.Matchers = append(sel.Matchers, labelMatcher{Name: lm[1], Op: lm[2], Value: lm[3]})
		}
		refs.Selectors = append(refs.Selectors, sel)
	}
	for _, g := range groupingRE.FindAllStringSubmatch(expr, -1) {
		for _, name := range strings.Split(g[1], ",") {
			if name = strings.TrimSpace(name); name != "" && !slices.Contains(refs.Grouping, name) {
				refs.Grouping = append(refs.Grouping, name)
			}
		}
	}
	return refs
}

func TestDeployRuleExprParsing(t *testing.T) {
	tests := []struct {
		expr string
		want exprRefs
	}{
		{
			expr: `otelcol_receiver_onepassword_lag > 1800`,
			want: exprRefs{Selectors: []metricSelector{{Metric: "otelcol_receiver_onepassword_lag"}}},
		},
		{
			expr: `sum without (status_class) (increase(otelcol_a{status_class="4xx", stream!~"intro.*"}[15m])) > 0
			       unless on (receiver,stream) otelcol_b`,
			want: exprRefs{
				Selectors: []metricSelector{
					{Metric: "otelcol_a", Matchers: []labelMatcher{{"status_class", "=", "4xx"}, {"stream", "!~", "intro.*"}}},
					{Metric: "otelcol_b"},
				},
				Grouping: []string{"status_class", "receiver", "stream"},
			},
		},
		{
			expr: `time() - max by(receiver) (otelcol_receiver_onepassword_last_success) > 3600`,
			want: exprRefs{Selectors: []metricSelector{{Metric: "otelcol_receiver_onepassword_last_success"}}, Grouping: []string{"receiver"}},
		},
	}
	for _, tt := range tests {
		if got := parseExprRefs(tt.expr); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseExprRefs(%q)\n got %+v\nwant %+v", tt.expr, got, tt.want)
		}
	}
}

// loadAlertRules reads every rule of deploy/prometheus/*.rules.yaml.
func loadAlertRules(t *testing.T) []alertRule {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoPath(t, "deploy/prometheus"), "*.rules.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule files in deploy/prometheus: %v", err)
	}
	var rules []alertRule
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Groups []struct {
				Rules []alertRule `yaml:"rules"`
			} `yaml:"groups"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, g := range doc.Groups {
			for _, r := range g.Rules {
				r.File = filepath.Base(f)
				rules = append(rules, r)
			}
		}
	}
	return rules
}

// missingRefs lists what refs needs and samples lack: for each selector, a
// sample under its exact name that satisfies all of its matchers at once
// (a label an = or =~ matcher names must exist with a matching value; a !=
// or !~ matcher is met by a sample whose value does not match); and each
// grouping label on some selected sample.
func missingRefs(samples []e2ekit.Sample, refs exprRefs) []string {
	var missing []string
	labels := map[string]bool{}
	for _, sel := range refs.Selectors {
		named, selected := 0, 0
		for _, s := range samples {
			if s.Name != sel.Metric {
				continue
			}
			named++
			if !matchesAll(s, sel.Matchers) {
				continue
			}
			selected++
			for k := range s.Labels {
				labels[k] = true
			}
		}
		switch {
		case named == 0:
			missing = append(missing, "metric "+sel.Metric)
		case selected == 0:
			missing = append(missing, fmt.Sprintf("a sample of %s with %s", sel.Metric, describeMatchers(sel.Matchers)))
		}
	}
	for _, g := range refs.Grouping {
		if !labels[g] {
			missing = append(missing, fmt.Sprintf("grouping label %s on any of %v", g, refs.Selectors))
		}
	}
	return missing
}

// matchesAll applies PromQL label matchers to one sample.
func matchesAll(s e2ekit.Sample, matchers []labelMatcher) bool {
	for _, m := range matchers {
		v, ok := s.Labels[m.Name]
		re, err := regexp.Compile("^(?:" + m.Value + ")$")
		if err != nil {
			return false
		}
		var hit bool
		switch m.Op {
		case "=":
			hit = ok && v == m.Value
		case "=~":
			hit = ok && re.MatchString(v)
		case "!=":
			hit = ok && v != m.Value
		case "!~":
			hit = ok && !re.MatchString(v)
		}
		if !hit {
			return false
		}
	}
	return true
}

func describeMatchers(matchers []labelMatcher) string {
	parts := make([]string, len(matchers))
	for i, m := range matchers {
		parts[i] = fmt.Sprintf("%s%s%q", m.Name, m.Op, m.Value)
	}
	return strings.Join(parts, ",")
}

// TestDeployRulesUseExposedMetrics scrapes the built collector after a run
// that makes every metric of the rules appear (events, a 429, a 401, a
// dropped page, an expiring token) and fails for any metric, label or label value
// that a rule in deploy/prometheus uses and the scrape does not have.
func TestDeployRulesUseExposedMetrics(t *testing.T) {
	rules := loadAlertRules(t)
	env := startSim(t, simulator.Config{Seed: 43})
	token, err := env.sim.MintToken(env.account, simulator.TokenClaims{
		Features: simulator.Streams, ExpiresAt: time.Now().Add(3 * 24 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	env.addEvents(t, 200)
	// One 429 with Retry-After: a 4xx and a rate-limit wait.
	if err := env.sim.Inject429(simulator.TooManyRequestsFault{
		Burst: simulator.Burst{Count: 1, Path: simulator.StreamItemUsages}, Seconds: 1,
	}); err != nil {
		t.Fatal(err)
	}
	// One 401, as for a token revoked and restored: a status="401" request.
	if err := env.sim.Inject401(simulator.Burst{Count: 1, Path: simulator.StreamAuditEvents}); err != nil {
		t.Fatal(err)
	}
	// The Users API beside it: one refused token request (a status="401"
	// of users_token) and, once the baseline is in, a suspension.
	users := usersim.New(usersim.Config{AccountID: env.account})
	users.Generate(3)
	users.SetFault(usersim.Fault{Endpoint: usersim.EndpointToken, Status: 401, Count: 1})
	env.sim.MountUsers(users)
	sink := newSink(t, false)
	// 400 is permanent for the exporter: the first pages are dropped, which
	// is the only way dropped_events appears.
	sink.RefuseFor(time.Hour, 400, "")
	c := newCollector(t, collectorConfig{
		SimURL:  env.url,
		SinkURL: sink.URL(),
		Receiver: map[string]any{"page_size": 50, "users": map[string]any{
			"enabled": true, "client_id": users.ClientID(), "client_secret": "${env:" + usersSecretEnv + "}",
			"endpoint": env.url, "poll_interval": "1s", "page_size": 2,
			// max_interval 2s (the harness): the refused token is retried soon
		}},
	}, token)
	c.env = append(c.env, usersSecretEnv+"="+users.ClientSecret())
	c.start()
	suspended := false

	var all exprRefs
	for _, r := range rules {
		refs := parseExprRefs(r.Expr)
		if len(refs.Selectors) == 0 {
			t.Errorf("%s: rule %s selects no otelcol_ metric: %s", r.File, r.Alert, r.Expr)
		}
		all.Selectors = append(all.Selectors, refs.Selectors...)
	}
	var samples []e2ekit.Sample
	accepting := false
	waitFor(2*time.Minute, 250*time.Millisecond, func() bool {
		text, err := c.scrape()
		if err != nil {
			return false
		}
		samples = e2ekit.ParseProm(text)
		if !suspended && len(e2ekit.Metric(samples, metricPrefix+"users_count", nil)) > 0 {
			// The baseline is committed: the next pass reports a suspension.
			suspended = users.Suspend(usersim.GeneratedID(0)) == nil
		}
		if !accepting && len(e2ekit.Metric(samples, metricPrefix+"dropped_events", nil)) > 0 {
			// Pages were dropped; now let the rest arrive, with new events.
			sink.Accept()
			env.addEvents(t, 50)
			accepting = true
		}
		return accepting && len(missingRefs(samples, all)) == 0
	})
	for _, r := range rules {
		t.Run(r.Alert, func(t *testing.T) {
			for _, m := range missingRefs(samples, parseExprRefs(r.Expr)) {
				t.Errorf("%s: rule %s uses %s, which the collector's metrics do not have", r.File, r.Alert, m)
			}
		})
	}
	if t.Failed() {
		var b strings.Builder
		for _, s := range samples {
			if strings.HasPrefix(s.Name, "otelcol_receiver_") {
				b.WriteString("\n  " + s.Name + " " + asJSON(s.Labels))
			}
		}
		t.Logf("scraped:%s", b.String())
	}
}

// The matchers of one selector must hold on one sample together: a 401 of
// the Events API and a 200 of the Users API are no users 401.
func TestDeployMissingRefsMatchesOneSample(t *testing.T) {
	samples := []e2ekit.Sample{
		{Name: "m", Labels: map[string]string{"operation": "audit_events", "status": "401"}},
		{Name: "m", Labels: map[string]string{"operation": "users_list", "status": "200"}},
	}
	tests := []struct {
		matchers []labelMatcher
		missing  bool
	}{
		{[]labelMatcher{{"operation", "=~", "users_.*"}, {"status", "=", "401"}}, true},
		{[]labelMatcher{{"operation", "=~", "users_.*"}, {"status", "=", "200"}}, false},
		{[]labelMatcher{{"operation", "!~", "users_.*"}, {"status", "=", "401"}}, false},
		{[]labelMatcher{{"operation", "!=", "audit_events"}, {"status", "=", "401"}}, true},
		{[]labelMatcher{{"absent", "!=", "x"}}, true},
	}
	for _, tt := range tests {
		got := missingRefs(samples, exprRefs{Selectors: []metricSelector{{Metric: "m", Matchers: tt.matchers}}})
		if (len(got) > 0) != tt.missing {
			t.Errorf("%v: missing %v, want missing=%v", tt.matchers, got, tt.missing)
		}
	}
}
