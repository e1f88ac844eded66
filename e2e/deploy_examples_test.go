//go:build e2e && deploy

package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
	"go.yaml.in/yaml/v3"
)

// exampleConfig is a collector configuration embedded in a deployment
// example, and the environment its platform provides.
type exampleConfig struct {
	name string
	// load returns the collector configuration as YAML.
	load func(t *testing.T) []byte
	env  map[string]string
	// literalStorage: file_storage names a directory of the target machine,
	// replaced by a temporary one (validate checks that it exists).
	literalStorage bool
}

var exampleConfigs = []exampleConfig{
	{
		name:           "container image default",
		load:           func(t *testing.T) []byte { return readRepoFile(t, "deploy/container/config.yaml") },
		literalStorage: true,
	},
	{
		name: "kubernetes ConfigMap",
		load: func(t *testing.T) []byte {
			return []byte(kubernetesObject(t, "ConfigMap").get(t, "data", "config.yaml").(string))
		},
		env:            map[string]string{"POD_IP": "127.0.0.1"},
		literalStorage: true,
	},
	{
		name: "helm values config",
		load: func(t *testing.T) []byte {
			// Helm merges config over the chart's defaults, and a null
			// removes a default; without the defaults, nulls are dropped.
			out, err := yaml.Marshal(dropNulls(helmValues(t).get(t, "config")))
			if err != nil {
				t.Fatal(err)
			}
			return out
		},
		env:            map[string]string{"MY_POD_IP": "127.0.0.1"},
		literalStorage: true,
	},
	{
		name: "systemd config",
		load: func(t *testing.T) []byte { return readRepoFile(t, "deploy/systemd/config.yaml") },
		// StateDirectory= sets it; the test sets it to a temporary directory.
		env: map[string]string{"STATE_DIRECTORY": ""},
	},
}

// TestDeployExampleConfigsValidate: every collector configuration of the
// deployment examples passes `otelcol-onepassword validate` in the
// environment its platform provides, and fails without the token (so the
// check can fail), never printing the token.
func TestDeployExampleConfigsValidate(t *testing.T) {
	bin := e2ekit.BinaryPath(t)
	sim := simulator.New(simulator.Config{Seed: 47})
	t.Cleanup(sim.Close)
	token, err := sim.MintToken(sim.Accounts()[0], simulator.TokenClaims{Audience: "events.1password.com", Features: simulator.Streams})
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range exampleConfigs {
		t.Run(ex.name, func(t *testing.T) {
			dir := t.TempDir()
			cfgPath := filepath.Join(dir, "config.yaml")
			if err := os.WriteFile(cfgPath, ex.load(t), 0o600); err != nil {
				t.Fatal(err)
			}
			storage := filepath.Join(dir, "storage")
			if err := os.Mkdir(storage, 0o700); err != nil {
				t.Fatal(err)
			}
			args := []string{"validate", "--config", cfgPath}
			if ex.literalStorage {
				args = append(args, "--set=extensions::file_storage::directory="+storage)
			}
			env := append(os.Environ(), "OTEL_EXPORTER_OTLP_ENDPOINT=https://otlp.example.com:4318")
			for k, v := range ex.env {
				if k == "STATE_DIRECTORY" {
					v = storage
				}
				env = append(env, k+"="+v)
			}
			for _, tc := range []struct {
				name    string
				token   string
				wantErr string
			}{
				{name: "with the token", token: token},
				{name: "without the token", token: "", wantErr: "token"},
			} {
				cmd := exec.Command(bin, args...)
				cmd.Env = append(env, tokenEnv+"="+tc.token)
				out, err := cmd.CombinedOutput()
				switch {
				case tc.wantErr == "" && err != nil:
					t.Errorf("%s: validate failed: %v\n%s", tc.name, err, out)
				case tc.wantErr != "" && err == nil:
					t.Errorf("%s: validate passed, want an error naming %q", tc.name, tc.wantErr)
				case tc.wantErr != "" && !strings.Contains(string(out), tc.wantErr):
					t.Errorf("%s: validate's error names no %q:\n%s", tc.name, tc.wantErr, out)
				}
				if bytes.Contains(out, []byte(token)) {
					t.Errorf("%s: validate printed the token", tc.name)
				}
			}
		})
	}
}

// TestDeployKubernetesExamples: the StatefulSet and the Helm values agree
// with the configuration they run: one replica, the persistent volume where
// file_storage writes, the token from a Secret, and the probes on the
// healthcheckv2 port and path.
func TestDeployKubernetesExamples(t *testing.T) {
	type podSpec struct {
		replicas      any
		storageMounts []string // mount paths of persistent claims
		tokenFrom     any      // the token variable's valueFrom
		probes        map[string]node
		containerPort func(any) int
		config        node
	}
	sts := kubernetesObject(t, "StatefulSet")
	container := node{sts.get(t, "spec", "template", "spec", "containers").([]any)[0]}
	values := helmValues(t)
	specs := map[string]podSpec{
		"kubernetes StatefulSet": {
			replicas:      sts.get(t, "spec", "replicas"),
			storageMounts: claimMounts(t, sts.get(t, "spec", "volumeClaimTemplates"), container.get(t, "volumeMounts")),
			tokenFrom:     envValueFrom(container.get(t, "env"), tokenEnv),
			probes: map[string]node{
				"liveness":  {container.get(t, "livenessProbe")},
				"readiness": {container.get(t, "readinessProbe")},
			},
			containerPort: func(port any) int {
				for _, p := range container.get(t, "ports").([]any) {
					pn := node{p}
					if pn.get(t, "name") == port || pn.get(t, "containerPort") == port {
						return pn.get(t, "containerPort").(int)
					}
				}
				return 0
			},
			config: parseYAML(t, []byte(kubernetesObject(t, "ConfigMap").get(t, "data", "config.yaml").(string))),
		},
		"helm values": {
			replicas:      values.get(t, "replicaCount"),
			storageMounts: claimMounts(t, values.get(t, "statefulset", "volumeClaimTemplates"), values.get(t, "extraVolumeMounts")),
			tokenFrom:     envValueFrom(values.get(t, "extraEnvs"), tokenEnv),
			probes: map[string]node{
				"liveness":  {values.get(t, "livenessProbe")},
				"readiness": {values.get(t, "readinessProbe")},
			},
			containerPort: func(port any) int { p, _ := port.(int); return p },
			config:        node{values.get(t, "config")},
		},
	}
	if got := values.get(t, "mode"); got != "statefulset" {
		t.Errorf("helm values: mode = %v, want statefulset", got)
	}
	for name, s := range specs {
		t.Run(name, func(t *testing.T) {
			if s.replicas != 1 {
				t.Errorf("replicas = %v, want 1 (two collectors on one token deliver everything twice)", s.replicas)
			}
			dir := s.config.get(t, "extensions", "file_storage", "directory")
			if len(s.storageMounts) != 1 || s.storageMounts[0] != dir {
				t.Errorf("persistent volume mounted at %v, file_storage writes to %v", s.storageMounts, dir)
			}
			if ref, _ := s.tokenFrom.(map[string]any); ref == nil || ref["secretKeyRef"] == nil {
				t.Errorf("%s is not taken from a Secret: valueFrom = %v", tokenEnv, s.tokenFrom)
			}
			// The host is an ${env:...} reference; the port follows the last colon.
			endpoint := s.config.get(t, "extensions", "healthcheckv2", "http", "endpoint").(string)
			healthPort := endpoint[strings.LastIndexByte(endpoint, ':')+1:]
			healthPath := s.config.get(t, "extensions", "healthcheckv2", "http", "status", "path")
			for probe, p := range s.probes {
				if got := p.get(t, "httpGet", "path"); got != healthPath {
					t.Errorf("%s probe path %v, healthcheckv2 serves %v", probe, got, healthPath)
				}
				if got := s.containerPort(p.get(t, "httpGet", "port")); strconv.Itoa(got) != healthPort {
					t.Errorf("%s probe port %d, healthcheckv2 listens on %s", probe, got, healthPort)
				}
			}
		})
	}
	if req := (node{container.get(t, "resources")}).get(t, "requests"); req == nil {
		t.Errorf("the StatefulSet's container requests no resources")
	}
}

// TestDeploySystemdUnitVerifies: systemd-analyze verify accepts the unit,
// where systemd-analyze exists. It prints unknown keys and bad values but
// exits 0 for them, so any output fails the test.
func TestDeploySystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if errors.Is(err, exec.ErrNotFound) {
		t.Skip("systemd-analyze is not installed here")
	}
	unit := string(readRepoFile(t, "deploy/systemd/otelcol-onepassword.service"))
	const execPath = "/usr/local/bin/otelcol-onepassword"
	if !strings.Contains(unit, "ExecStart="+execPath+" ") {
		t.Fatalf("the unit does not start %s", execPath)
	}
	// verify checks that ExecStart's binary exists: point it at the build.
	unit = strings.ReplaceAll(unit, "ExecStart="+execPath, "ExecStart="+e2ekit.BinaryPath(t))
	for _, tc := range []struct {
		name   string
		unit   string
		wantOK bool
	}{
		{"the unit", unit, true},
		{"a misspelt key (the check can fail)", strings.Replace(unit, "NoNewPrivileges=", "NoNewPrivilege=", 1), false},
	} {
		p := filepath.Join(t.TempDir(), "otelcol-onepassword.service")
		if err := os.WriteFile(p, []byte(tc.unit), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(analyze, "verify", p).CombinedOutput()
		ok := err == nil && len(bytes.TrimSpace(out)) == 0
		if ok != tc.wantOK {
			t.Errorf("%s: systemd-analyze verify ok = %v, want %v: %v\n%s", tc.name, ok, tc.wantOK, err, out)
		}
	}
}

// node is a decoded YAML value with a path accessor.
type node struct{ v any }

// get follows keys through maps; it fails the test on a missing key.
func (n node) get(t *testing.T, keys ...string) any {
	t.Helper()
	v := n.v
	for i, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: not a map", strings.Join(keys[:i], "."))
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("no %s", strings.Join(keys[:i+1], "."))
		}
	}
	return v
}

func parseYAML(t *testing.T, b []byte) node {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return node{v}
}

func readRepoFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(repoPath(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// kubernetesObject returns the object of kind in the manifest.
func kubernetesObject(t *testing.T, kind string) node {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(readRepoFile(t, "deploy/kubernetes/otelcol-onepassword.yaml")))
	for {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			t.Fatalf("no %s in deploy/kubernetes/otelcol-onepassword.yaml: %v", kind, err)
		}
		if obj["kind"] == kind {
			return node{obj}
		}
	}
}

func helmValues(t *testing.T) node {
	t.Helper()
	return parseYAML(t, readRepoFile(t, "deploy/helm/values.yaml"))
}

// claimMounts returns where the volume claims are mounted.
func claimMounts(t *testing.T, claims, mounts any) []string {
	t.Helper()
	names := map[any]bool{}
	for _, c := range claims.([]any) {
		names[node{c}.get(t, "metadata", "name")] = true
	}
	var out []string
	for _, m := range mounts.([]any) {
		mn := node{m}
		if names[mn.get(t, "name")] {
			out = append(out, mn.get(t, "mountPath").(string))
		}
	}
	return out
}

func envValueFrom(env any, name string) any {
	list, _ := env.([]any)
	for _, e := range list {
		if m, _ := e.(map[string]any); m["name"] == name {
			return m["valueFrom"]
		}
	}
	return nil
}

// dropNulls removes null values from maps, recursively.
func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if e != nil {
				out[k] = dropNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = dropNulls(e)
		}
		return out
	}
	return v
}
