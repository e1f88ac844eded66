//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

// readmeConfig is one YAML block of the README that is a whole collector
// configuration (it has receivers and a service section).
type readmeConfig struct {
	line int // where the block starts in the README
	text string
	conf map[string]any
}

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

func readmeConfigs(t *testing.T) []readmeConfig {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []readmeConfig
	for _, m := range yamlBlock.FindAllSubmatchIndex(readme, -1) {
		text := string(readme[m[2]:m[3]])
		line := strings.Count(string(readme[:m[0]]), "\n") + 1
		var conf map[string]any
		if err := yaml.Unmarshal([]byte(text), &conf); err != nil {
			t.Errorf("README line %d: a yaml block that is not YAML: %v", line, err)
			continue
		}
		if conf["receivers"] != nil && conf["service"] != nil {
			out = append(out, readmeConfig{line: line, text: text, conf: conf})
		}
	}
	// The quick start, the production example and the several-accounts
	// example at least: a test that finds none checks nothing.
	if len(out) < 3 {
		t.Fatalf("found %d whole collector configs in the README, want at least 3", len(out))
	}
	return out
}

// envRef finds ${env:NAME} references, so the test can give each a value.
var envRef = regexp.MustCompile(`\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}`)

// TestReadmeConfigsValidate runs `validate` on every whole collector config
// in the README, with every variable it names set to a well-formed token:
// the documented configs must be accepted as they are written.
func TestReadmeConfigsValidate(t *testing.T) {
	e2ekit.BinaryPath(t) // fails at once without the binary
	// The simulator's tokens are shaped like 1Password's: a JWT whose aud
	// names the events host, from which the receiver derives its endpoint.
	env := startSim(t, simulator.Config{})
	token, users := env.token, readmeUsers(env)
	for _, rc := range readmeConfigs(t) {
		t.Run(fmt.Sprintf("line %d", rc.line), func(t *testing.T) {
			out, err := runValidate(t, rc.text, envFor(rc.text, token, users)...)
			if err != nil {
				t.Fatalf("validate refused the README's config at line %d: %v\n%s", rc.line, err, out)
			}
			if strings.Contains(string(out), token) {
				t.Errorf("validate printed the token")
			}
		})
	}
}

// TestReadmeConfigsRunWithoutDeprecations starts every whole collector
// config of the README, pointed at loopback (the simulator, free ports, a
// temporary storage directory), and fails on any deprecation warning: the
// README must not teach what the collector is about to remove.
func TestReadmeConfigsRunWithoutDeprecations(t *testing.T) {
	env := startSim(t, simulator.Config{})
	users := readmeUsers(env)
	for _, rc := range readmeConfigs(t) {
		t.Run(fmt.Sprintf("line %d", rc.line), func(t *testing.T) {
			c := newCollector(t, collectorConfig{SimURL: env.url}, env.token)
			body, err := yaml.Marshal(onLoopback(t, rc.conf, env.url, c.storageDir, c.healthPort, c.metricsPort))
			if err != nil {
				t.Fatal(err)
			}
			c.configPath = e2ekit.WriteConfig(t, c.dir, body)
			c.env = append(c.env, envFor(rc.text, env.token, users)...)
			c.start()
			// Running for real: every receiver instance has polled. (The
			// collector installs its SIGTERM handler only after it logged
			// that it is ready, so a stop right away is not a clean one.)
			scrapeUntil(t, c, time.Minute, func(samples []e2ekit.Sample) bool {
				for id := range asMap(rc.conf["receivers"]) {
					if strings.HasPrefix(id, "onepassword") &&
						e2ekit.Sum(e2ekit.Metric(samples, metricPrefix+"requests", map[string]string{"receiver": id})) < 1 {
						return false
					}
				}
				return true
			})
			if err := c.stop(); err != nil {
				t.Errorf("exit after SIGTERM was not clean: %v", err)
			}
			for _, line := range strings.Split(c.stderr(), "\n") {
				if strings.Contains(strings.ToLower(line), "deprecat") {
					t.Errorf("README config at line %d logs a deprecation: %s", rc.line, line)
				}
			}
		})
	}
}

// readmeUsers serves the Users API of env's account beside it, for the
// README's users sections.
func readmeUsers(env *simEnv) *usersim.Sim {
	users := usersim.New(usersim.Config{AccountID: env.account})
	users.Generate(3)
	env.sim.MountUsers(users)
	return users
}

// envFor sets every variable the config names to token, except the Users
// API's credentials (a name with CLIENT_ID or CLIENT_SECRET in it), which
// get the simulator's.
func envFor(text, token string, users *usersim.Sim) []string {
	var out []string
	for _, m := range envRef.FindAllStringSubmatch(text, -1) {
		value := token
		switch {
		case strings.Contains(m[1], "CLIENT_SECRET"):
			value = users.ClientSecret()
		case strings.Contains(m[1], "CLIENT_ID"):
			value = users.ClientID()
		}
		out = append(out, m[1]+"="+value)
	}
	return out
}

// onLoopback returns a copy of a README config that touches nothing but
// this machine: every onepassword receiver reads the simulator, every
// exporter endpoint and the health check listen on or point at free
// loopback ports, storage goes to dir, and the collector's own metrics to
// metricsPort. Everything else, the components and their settings, stays
// as the README has it.
func onLoopback(t *testing.T, conf map[string]any, simURL, dir string, healthPort, metricsPort int) map[string]any {
	t.Helper()
	out := deepCopy(conf).(map[string]any)
	for id, v := range asMap(out["receivers"]) {
		if strings.HasPrefix(id, "onepassword") {
			r := asMap(v)
			if r == nil {
				r = map[string]any{}
			}
			r["endpoint"] = simURL
			if u := asMap(r["users"]); u != nil {
				u["endpoint"] = simURL
			}
			asMap(out["receivers"])[id] = r
		}
	}
	for id, v := range asMap(out["exporters"]) {
		if e := asMap(v); e != nil && e["endpoint"] != nil {
			e["endpoint"] = fmt.Sprintf("127.0.0.1:%d", e2ekit.FreePort(t))
			if strings.HasPrefix(id, "otlp_http") || strings.HasPrefix(id, "otlphttp") {
				e["endpoint"] = "http://" + e["endpoint"].(string)
			}
		}
	}
	for id, v := range asMap(out["extensions"]) {
		e := asMap(v)
		switch {
		case e == nil:
		case strings.HasPrefix(id, "file_storage"):
			e["directory"] = dir
		case strings.HasPrefix(id, "healthcheckv2"):
			if h := asMap(e["http"]); h != nil {
				h["endpoint"] = fmt.Sprintf("127.0.0.1:%d", healthPort)
			}
			if g := asMap(e["grpc"]); g != nil {
				g["endpoint"] = fmt.Sprintf("127.0.0.1:%d", e2ekit.FreePort(t))
			}
		}
	}
	service := asMap(out["service"])
	service["telemetry"] = map[string]any{"metrics": map[string]any{"readers": []any{map[string]any{
		"pull": map[string]any{"exporter": map[string]any{"prometheus": map[string]any{
			"host": "127.0.0.1", "port": metricsPort,
		}}},
	}}}}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	default:
		return v
	}
}
