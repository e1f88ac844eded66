package simulator

import (
	"bytes"
	"encoding/json"
	"math/big"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	upperUUID = regexp.MustCompile(`^[A-Z2-7]{26}$`)
	lowerUUID = regexp.MustCompile(`^[a-z2-7]{26}$`)
	ipv4      = regexp.MustCompile(`^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$`)
	country   = regexp.MustCompile(`^[A-Z]{2}$`)
	// RFC 3339 in UTC: no fraction, exactly 3 digits, or 1..9 digits (trimmed nanoseconds)
	utcStamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$`)
)

// v2OnlyKeys may appear anywhere in a v2 item and nowhere in a v1 item.
var v2OnlyKeys = []string{"account_uuid", "actor_type", "actor_account_uuid", "user_type", "user_account_uuid"}

// allowedKeys per stream, top level (v1 ∪ v2).
var allowedKeys = map[string][]string{
	StreamSignInAttempts: {"uuid", "session_uuid", "timestamp", "country", "category", "type", "details", "target_user", "client", "location", "account_uuid"},
	StreamItemUsages:     {"uuid", "timestamp", "used_version", "vault_uuid", "item_uuid", "action", "user", "client", "location", "account_uuid"},
	StreamAuditEvents: {"uuid", "timestamp", "actor_uuid", "actor_details", "action", "object_type", "object_uuid", "object_details",
		"aux_id", "aux_uuid", "aux_details", "aux_info", "session", "location", "actor_type", "actor_account_uuid", "account_uuid"},
}

func decodeItems(t *testing.T, items []json.RawMessage) []map[string]any {
	t.Helper()
	out := make([]map[string]any, len(items))
	for i, it := range items {
		dec := json.NewDecoder(bytes.NewReader(it))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&out[i]), "item %s", it)
	}
	return out
}

func findKeys(v any, keys []string) []string {
	var found []string
	switch x := v.(type) {
	case map[string]any:
		for k, vv := range x {
			if slices.Contains(keys, k) {
				found = append(found, k)
			}
			found = append(found, findKeys(vv, keys)...)
		}
	case []any:
		for _, vv := range x {
			found = append(found, findKeys(vv, keys)...)
		}
	}
	return found
}

func stripKeys(v any, keys []string) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range keys {
			delete(x, k)
		}
		for _, vv := range x {
			stripKeys(vv, keys)
		}
	case []any:
		for _, vv := range x {
			stripKeys(vv, keys)
		}
	}
}

// fetchAll drains a stream from an explicit start, so both versions read
// the same events.
func fetchAll(t *testing.T, h *harness, version, stream string) []map[string]any {
	t.Helper()
	path := "/api/" + version + "/" + stream
	p := h.fetch(path, `{"limit":1000,"start_time":"`+rfc(testEpoch.Add(-24*time.Hour))+`"}`)
	items := p.Items
	for p.HasMore {
		p = h.fetch(path, cursorBody(p.cursor()))
		items = append(items, p.Items...)
	}
	return decodeItems(t, items)
}

func TestV1AndV2Shapes(t *testing.T) {
	h := newHarness(t, Config{Seed: 42, Accounts: []AccountConfig{{UUID: testAccount}}})
	const n = 3000
	for _, st := range Streams {
		require.NoError(t, h.sim.AddEvents("", st, n, GenOptions{Start: testEpoch.Add(-12 * time.Hour)}))
	}
	for _, st := range Streams {
		t.Run(st, func(t *testing.T) {
			v1 := fetchAll(t, h, "v1", st)
			v2 := fetchAll(t, h, "v2", st)
			require.Len(t, v1, n)
			require.Len(t, v2, n)
			for i := range v1 {
				require.Empty(t, findKeys(v1[i], v2OnlyKeys), "v1 item carries v2 fields: %v", v1[i])
				for k := range v2[i] {
					assert.Contains(t, allowedKeys[st], k)
				}
				assert.Equal(t, testAccount, v2[i]["account_uuid"])
				// v2 is v1 plus the v2 fields, nothing else differs
				stripped := deepCopy(t, v2[i])
				stripKeys(stripped, v2OnlyKeys)
				require.Equal(t, v1[i], stripped)
			}
			checkCommon(t, st, v1, v2)
		})
	}
}

func deepCopy(t *testing.T, m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out map[string]any
	require.NoError(t, dec.Decode(&out))
	return out
}

func obj(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	require.True(t, ok, "want an object, got %T %v", v, v)
	return m
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func checkUser(t *testing.T, u map[string]any, v2 bool) {
	t.Helper()
	assert.Regexp(t, upperUUID, u["uuid"])
	assert.NotEmpty(t, u["name"])
	assert.Contains(t, str(u, "email"), "@")
	if v2 {
		assert.Contains(t, []string{"user", "external_user"}, u["user_type"])
		assert.Regexp(t, upperUUID, u["user_account_uuid"])
	}
}

func checkClientAndLocation(t *testing.T, it map[string]any, counts map[string]int) {
	t.Helper()
	if c, ok := it["client"]; ok {
		cl := obj(t, c)
		for _, k := range []string{"app_name", "app_version", "platform_name", "platform_version", "os_name", "os_version"} {
			assert.NotEmpty(t, cl[k], k)
		}
		assert.Regexp(t, ipv4, cl["ip_address"])
	}
	if l, ok := it["location"]; ok {
		loc := obj(t, l)
		assert.Regexp(t, country, loc["country"])
		assert.NotEmpty(t, loc["city"])
		lat, err := loc["latitude"].(json.Number).Float64()
		require.NoError(t, err)
		lon, err := loc["longitude"].(json.Number).Float64()
		require.NoError(t, err)
		assert.True(t, lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)
	} else {
		counts["no location"]++
	}
}

func stampKind(s string) string {
	i := strings.IndexByte(s, '.')
	switch {
	case i < 0:
		return "seconds"
	case len(s)-i-2 == 3:
		return "millis"
	default:
		return "nanos"
	}
}

// checkCommon validates every item and that the values vary the way real
// data does.
func checkCommon(t *testing.T, stream string, v1, v2 []map[string]any) {
	counts := map[string]int{}
	var prev time.Time
	for i, it := range v1 {
		assert.Regexp(t, upperUUID, it["uuid"])
		ts := str(it, "timestamp")
		require.Regexp(t, utcStamp, ts)
		tt, err := time.Parse(time.RFC3339Nano, ts)
		require.NoError(t, err)
		assert.False(t, tt.Before(prev), "items are oldest first")
		prev = tt
		counts[stampKind(ts)]++
		checkClientAndLocation(t, it, counts)
		switch stream {
		case StreamSignInAttempts:
			assert.Regexp(t, upperUUID, it["session_uuid"])
			assert.Regexp(t, country, it["country"])
			checkUser(t, obj(t, it["target_user"]), false)
			checkUser(t, obj(t, v2[i]["target_user"]), true)
			cat := str(it, "category")
			counts["category "+cat]++
			d, present := it["details"]
			require.True(t, present, "details is always present (null when empty)")
			if strings.HasPrefix(cat, "firewall_") {
				assert.NotEmpty(t, obj(t, d)["value"])
			} else {
				assert.Nil(t, d, "ordinary sign-ins carry details: null")
			}
		case StreamItemUsages:
			assert.Regexp(t, lowerUUID, it["vault_uuid"])
			assert.Regexp(t, lowerUUID, it["item_uuid"])
			_, err := it["used_version"].(json.Number).Int64()
			require.NoError(t, err)
			checkUser(t, obj(t, it["user"]), false)
			checkUser(t, obj(t, v2[i]["user"]), true)
			a, ok := it["action"]
			if !ok {
				counts["no action"]++
			} else {
				counts["action "+a.(string)]++
			}
		case StreamAuditEvents:
			assert.Regexp(t, upperUUID, it["actor_uuid"])
			ad := obj(t, it["actor_details"])
			checkUser(t, ad, false)
			assert.Equal(t, it["actor_uuid"], ad["uuid"])
			checkUser(t, obj(t, v2[i]["actor_details"]), true)
			assert.Contains(t, []string{"user", "external_user"}, v2[i]["actor_type"])
			counts["actor_type "+v2[i]["actor_type"].(string)]++
			assert.Regexp(t, upperUUID, v2[i]["actor_account_uuid"])
			assert.NotEmpty(t, it["action"])
			assert.NotEmpty(t, it["object_type"])
			counts["object_type "+str(it, "object_type")]++
			if str(it, "object_type") == "user" {
				assert.Regexp(t, upperUUID, it["object_uuid"])
				checkUser(t, obj(t, it["object_details"]), false)
			} else if str(it, "object_type") != "account" {
				assert.Regexp(t, lowerUUID, it["object_uuid"])
			}
			if n, ok := it["aux_id"]; ok {
				v, ok := new(big.Int).SetString(n.(json.Number).String(), 10)
				require.True(t, ok, "aux_id must be an integer: %v", n)
				if v.Cmp(big.NewInt(1<<53)) > 0 {
					counts["aux_id above 2^53"]++
				}
			} else {
				assert.NotContains(t, []string{"gm", "device"}, it["object_type"], "aux_id when relevant")
			}
			if str(it, "object_type") == "gm" {
				assert.Contains(t, []string{"R", "A"}, it["aux_info"])
				checkUser(t, obj(t, it["aux_details"]), false)
			}
			sess := obj(t, it["session"])
			assert.Regexp(t, upperUUID, sess["uuid"])
			assert.Regexp(t, lowerUUID, sess["device_uuid"])
			assert.Regexp(t, ipv4, sess["ip"])
			assert.Regexp(t, utcStamp, sess["login_time"])
			lt, err := time.Parse(time.RFC3339Nano, str(sess, "login_time"))
			require.NoError(t, err)
			assert.True(t, lt.Before(tt), "the session began before the action")
		}
	}
	t.Logf("%s variety: %v", stream, counts)
	n := len(v1)
	assert.Positive(t, counts["no location"], "location is sometimes absent")
	assert.Less(t, counts["no location"], n/4)
	for _, k := range []string{"seconds", "millis", "nanos"} {
		assert.Positive(t, counts[k], "timestamps with %s", k)
	}
	switch stream {
	case StreamSignInAttempts:
		assert.Greater(t, counts["category success"], n*3/4, "mostly successes")
		for _, c := range []string{"credentials_failed", "mfa_failed", "firewall_failed", "sso_failed"} {
			assert.Positive(t, counts["category "+c], c)
		}
	case StreamItemUsages:
		assert.Positive(t, counts["no action"])
		for _, a := range []string{"fill", "secure-copy", "reveal", "server-fetch"} {
			assert.Positive(t, counts["action "+a], a)
		}
	case StreamAuditEvents:
		assert.Positive(t, counts["aux_id above 2^53"])
		assert.Positive(t, counts["actor_type external_user"])
		assert.Greater(t, counts["actor_type user"], counts["actor_type external_user"])
		for _, o := range []string{"gm", "uva", "vault", "device", "user", "invite"} {
			assert.Positive(t, counts["object_type "+o], o)
		}
	}
}

func TestGenerationIsDeterministic(t *testing.T) {
	pageOf := func(seed uint64, opts GenOptions) []json.RawMessage {
		h := newHarness(t, Config{Seed: seed})
		for _, st := range Streams {
			require.NoError(t, h.sim.AddEvents("", st, 50, opts))
		}
		var all []json.RawMessage
		for _, st := range Streams {
			all = append(all, h.fetch("/api/v2/"+st, `{"limit":1000}`).Items...)
		}
		return all
	}
	opts := GenOptions{Start: testEpoch.Add(-50 * time.Minute), End: testEpoch}
	a, b := pageOf(7, opts), pageOf(7, opts)
	assert.Equal(t, a, b, "same seed, same events")
	assert.NotEqual(t, a, pageOf(8, opts), "another seed, other events")
	opts.Seed = 99
	assert.NotEqual(t, a, pageOf(7, opts), "GenOptions.Seed changes the batch")
	assert.Equal(t, pageOf(7, opts), pageOf(7, opts))
}

func TestRepeatedBatchesDiffer(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.AddEvents("", StreamItemUsages, 20, GenOptions{}))
	require.NoError(t, h.sim.AddEvents("", StreamItemUsages, 20, GenOptions{}))
	uuids, _, _ := h.drain("/api/v2/itemusages", `{"limit":1000}`)
	seen := map[string]bool{}
	for _, u := range uuids {
		seen[u] = true
	}
	assert.Len(t, seen, 40)
}

func TestAddRawServesFixturesVerbatim(t *testing.T) {
	raw, err := os.ReadFile("testdata/fixture-items.json")
	require.NoError(t, err)
	var fixtures map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &fixtures))

	h := newHarness(t, Config{})
	// the fixtures are old: move the clock to just after each set, since
	// nothing older than the 120-day retention is served
	at := map[string]time.Time{
		StreamSignInAttempts: time.Date(2021, 8, 12, 0, 0, 0, 0, time.UTC),
		StreamItemUsages:     time.Date(2021, 8, 31, 0, 0, 0, 0, time.UTC),
		StreamAuditEvents:    time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for _, st := range Streams {
		h.clock.Set(at[st])
		var items []json.RawMessage
		require.NoError(t, json.Unmarshal(fixtures[st], &items))
		require.NoError(t, h.sim.AddRaw("", st, items...))
		for _, v := range []string{"v1", "v2"} {
			p := h.fetch("/api/"+v+"/"+st, `{"limit":1000,"start_time":"2020-01-01T00:00:00Z"}`)
			require.Len(t, p.Items, len(items))
			for i := range items {
				assert.JSONEq(t, string(items[i]), string(p.Items[i]))
			}
		}
	}
	// items outside the retention window are not served
	h.clock.Set(testEpoch)
	old := json.RawMessage(`{"uuid":"X","timestamp":"2021-08-11T14:28:03Z"}`)
	require.NoError(t, h.sim.AddRaw("", StreamSignInAttempts, old))
	p := h.fetch("/api/v1/signinattempts", `{"limit":1000,"start_time":"2020-01-01T00:00:00Z"}`)
	assert.Empty(t, p.Items)
	// an item without a readable timestamp is placed at now
	require.NoError(t, h.sim.AddRaw("", StreamSignInAttempts, json.RawMessage(`{"uuid":"Y","timestamp":"2021-12-15 18:02:23"}`)))
	p = h.fetch("/api/v1/signinattempts", `{}`)
	require.Len(t, p.Items, 1)
	assert.JSONEq(t, `{"uuid":"Y","timestamp":"2021-12-15 18:02:23"}`, string(p.Items[0]))

	assert.Error(t, h.sim.AddRaw("", StreamItemUsages, json.RawMessage(`[1]`)))
	assert.Error(t, h.sim.AddRaw("", StreamItemUsages, json.RawMessage(`{`)))
	assert.Error(t, h.sim.AddRaw("", "nostream", old))
	assert.Error(t, h.sim.AddRaw("NOACCOUNT", StreamItemUsages, old))
}

func TestRenderedPagesAreValidJSON(t *testing.T) {
	h := newHarness(t, Config{Seed: 3})
	for _, st := range Streams {
		require.NoError(t, h.sim.AddEvents("", st, 2000, GenOptions{}))
		for _, v := range []string{"v1", "v2"} {
			r := h.post("/api/"+v+"/"+st, `{"limit":1000}`)
			require.True(t, json.Valid(r.body), "%s %s", v, st)
			// non-ASCII names and places are sent as UTF-8, not escaped
			assert.True(t, utf8Contains(r.body), "%s %s", v, st)
		}
	}
}

func utf8Contains(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}
