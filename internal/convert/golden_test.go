package convert

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// go test ./internal/convert -update rewrites every golden file. golden.WriteLogs
// then fails the test on purpose: run again without -update, and review the diff.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// fixturesDir holds the real-shaped API payloads the tests read (copied from
// public test fixtures and vendor docs; testdata/fixtures/README.md names each source).
const fixturesDir = "testdata/fixtures"

// observedAt is the ObservedTimestamp of every golden record.
var observedAt = pcommon.NewTimestampFromTime(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))

var streamDirs = []struct {
	dir  string
	kind Kind
}{
	{"audit-events", AuditEvent},
	{"item-usages", ItemUsage},
	{"signin-attempts", SigninAttempt},
}

type fixture struct {
	path  string // relative to fixturesDir, e.g. "audit-events/v1-elastic-mock-page1.response.json"
	kind  Kind
	body  []byte
	items bool // decoded with DecodeItems; a single-item file is wrapped in [ ]
}

func loadFixtures(t testing.TB) []fixture {
	var out []fixture
	for _, sd := range streamDirs {
		entries, err := os.ReadDir(filepath.Join(fixturesDir, sd.dir))
		require.NoError(t, err)
		for _, e := range entries {
			name := e.Name()
			if !strings.HasSuffix(name, ".json") {
				continue
			}
			body, err := os.ReadFile(filepath.Join(fixturesDir, sd.dir, name))
			require.NoError(t, err)
			fx := fixture{path: sd.dir + "/" + name, kind: sd.kind, body: body}
			switch {
			case strings.HasSuffix(name, ".response.json"):
			case strings.HasSuffix(name, "-items.json"):
				fx.items = true
			case strings.HasSuffix(name, "-item.json"): // one bare item (the Sumo sample)
				fx.items = true
				fx.body = append(append([]byte("["), body...), ']')
			default:
				t.Fatalf("%s: unknown fixture shape; teach loadFixtures about it", fx.path)
			}
			out = append(out, fx)
		}
	}
	require.NotEmpty(t, out)
	return out
}

// decode runs the converter the way the receiver does: one ResourceLogs and
// one ScopeLogs per page.
func decode(body []byte, kind Kind, items bool) (plog.Logs, PageInfo, error) {
	logs := plog.NewLogs()
	recs := logs.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	var info PageInfo
	var err error
	if items {
		info, err = DecodeItems(body, kind, observedAt, recs)
	} else {
		info, err = DecodePage(body, kind, observedAt, recs)
	}
	return logs, info, err
}

func records(logs plog.Logs) plog.LogRecordSlice {
	return logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
}

// compareGolden compares logs with the golden file completely: attributes,
// severity, timestamps and body with plogtest, and the EventName, which
// plogtest ignores, separately.
func compareGolden(t *testing.T, path string, logs plog.Logs) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, golden.WriteLogs(t, path, logs))
		return
	}
	want, err := golden.ReadLogs(path)
	require.NoError(t, err, "missing golden file? run go test ./internal/convert -update")
	require.NoError(t, plogtest.CompareLogs(want, logs))
	w, g := records(want), records(logs)
	for i := range w.Len() {
		assert.Equal(t, w.At(i).EventName(), g.At(i).EventName(), "record %d EventName", i)
	}
}

func goldenPath(parts ...string) string {
	return filepath.Join(append([]string{"testdata", "golden"}, parts...)...) + ".yaml"
}

// checkReference compares every record with the independent reference built
// on encoding/json (reference_test.go, and the naive mapping in
// bench_test.go): the body item for item and key for key, the timestamp to
// the nanosecond, severity and attributes.
func checkReference(t *testing.T, kind Kind, items []json.RawMessage, recs plog.LogRecordSlice) {
	t.Helper()
	require.Equal(t, len(items), recs.Len(), "records")
	for i, raw := range items {
		if d := diffReference(kind, raw, recs.At(i), observedAt); d != "" {
			t.Errorf("item %d: %s", i, d)
		}
	}
}

func diffReference(kind Kind, raw []byte, rec plog.LogRecord, observed pcommon.Timestamp) string {
	ref, err := refDecode(raw)
	if err != nil {
		return "reference: " + err.Error()
	}
	if d := diffValue("body", ref, rec.Body()); d != "" {
		return d
	}
	want := plog.NewLogRecord()
	want.SetEventName(kind.EventName())
	want.SetObservedTimestamp(observed)
	if ts, ok := refTimestamp(ref); ok {
		want.SetTimestamp(ts)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return "reference: " + err.Error()
	}
	fixNumbers(m)
	want.SetSeverityNumber(naiveSeverity(kind, m))
	naiveAttributes(kind, m, want.Attributes(), false)
	if err := want.Body().SetEmptyMap().FromRaw(m); err != nil {
		return "reference: " + err.Error()
	}
	return diffRecords(want, rec)
}

// refItems splits a fixture into its items with encoding/json.
func refItems(t *testing.T, body []byte, items bool) []json.RawMessage {
	t.Helper()
	if items {
		it, err := refDecodeItems(body)
		require.NoError(t, err)
		return it
	}
	p, err := refDecodePage(body)
	require.NoError(t, err)
	return p.items
}

func TestFixturesGolden(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		t.Run(fx.path, func(t *testing.T) {
			logs, info, err := decode(fx.body, fx.kind, fx.items)
			require.NoError(t, err)
			assert.Equal(t, records(logs).Len(), info.Items)
			checkReference(t, fx.kind, refItems(t, fx.body, fx.items), records(logs))
			compareGolden(t, goldenPath(strings.TrimSuffix(fx.path, ".json")), logs)
		})
	}
}

// TestFixturePageInfo checks, by hand, what each fixture's envelope says.
func TestFixturePageInfo(t *testing.T) {
	vendorCursor := "aGVsbG8hIGlzIGl0IG1lIHlvdSBhcmUgbG9va2luZyBmb3IK"
	ts := func(s string) pcommon.Timestamp {
		tm, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return pcommon.NewTimestampFromTime(tm)
	}
	want := map[string]PageInfo{
		"audit-events/v1-elastic-mock-page1.response.json":          {Cursor: "cursor_0", HasCursor: true, HasMore: true, Items: 1, Newest: ts("2022-10-24T21:16:52.827288935Z")},
		"audit-events/v1-elastic-pipeline-test-items.json":          {Items: 2, Newest: ts("2022-10-24T21:16:52.827288935Z")},
		"audit-events/v1-sumo-doc-sample-item.json":                 {Items: 1, Newest: ts("2023-03-15T19:33:50Z")},
		"audit-events/v2-vendor-doc-example.response.json":          {Cursor: vendorCursor, HasCursor: true, HasMore: true, Items: 1, Newest: ts("2020-06-11T19:32:50Z")},
		"audit-events/v2-xsiam-test-page1.response.json":            {Cursor: "qwerty4567", HasCursor: true, HasMore: true, Items: 9, Newest: ts("2024-12-02T11:54:21.297797084Z")},
		"audit-events/v2-xsiam-test-page2.response.json":            {Cursor: "qwerty9999", HasCursor: true, Items: 1, Newest: ts("2024-12-02T11:55:20.710457472Z")},
		"item-usages/v1-elastic-mock-empty-no-cursor.response.json": {},
		"item-usages/v1-elastic-mock-page1.response.json":           {Cursor: "cursor_0", HasCursor: true, HasMore: true, Items: 1, Newest: ts("2021-08-30T18:57:42.484Z")},
		"item-usages/v1-elastic-mock-page2.response.json":           {Cursor: "cursor_1", HasCursor: true, Items: 1, Newest: ts("2021-08-30T19:10:00.123Z")},
		"item-usages/v1-elastic-pipeline-test-items.json":           {Items: 2, Newest: ts("2021-08-30T19:10:00.123Z")},
		"item-usages/v2-vendor-doc-example.response.json":           {Cursor: vendorCursor, HasCursor: true, HasMore: true, Items: 1, Newest: ts("2020-06-11T19:32:50Z")},
		"signin-attempts/v1-elastic-mock-empty.response.json":       {Cursor: "cursor_1", HasCursor: true},
		"signin-attempts/v1-elastic-mock-page1.response.json":       {Cursor: "cursor_0", HasCursor: true, HasMore: true, Items: 1, Newest: ts("2021-08-11T14:28:03Z")},
		"signin-attempts/v1-elastic-mock-page2.response.json":       {Cursor: "cursor_1", HasCursor: true, HasMore: true, Items: 1, Newest: ts("2021-08-11T15:04:22Z")},
		"signin-attempts/v1-elastic-pipeline-test-items.json":       {Items: 2, Newest: ts("2021-08-11T15:04:22Z")},
		// Panther normalised the timestamp to "2021-12-15 18:02:23": not RFC 3339.
		"signin-attempts/v1-panther-test-items.json":          {Items: 1, MissingTimestamp: 1},
		"signin-attempts/v2-vendor-doc-example.response.json": {Cursor: vendorCursor, HasCursor: true, HasMore: true, Items: 1, Newest: ts("2020-06-11T19:32:50Z")},
	}
	fixtures := loadFixtures(t)
	require.Len(t, fixtures, len(want), "a fixture was added or removed: update this table")
	for _, fx := range fixtures {
		_, info, err := decode(fx.body, fx.kind, fx.items)
		require.NoError(t, err, fx.path)
		assert.Equal(t, want[fx.path], info, fx.path)
	}
}

// TestFixtureValuesByHand pins values read off the fixture files by a human,
// so that the golden files are not only the converter's own word.
func TestFixtureValuesByHand(t *testing.T) {
	type check struct {
		path     string
		item     int
		ts       time.Time // zero: Timestamp must be 0
		severity plog.SeverityNumber
		attrs    map[string]any // each must be present with this value (nil: must be absent)
		body     map[string]any // body paths (dotted) and their values
	}
	checks := []check{{
		path: "audit-events/v1-elastic-mock-page1.response.json",
		ts:   time.Date(2022, 10, 24, 21, 16, 52, 827288935, time.UTC), severity: plog.SeverityNumberInfo,
		attrs: map[string]any{
			"log.record.uid": "3UQOGUC7DVOCN4OZP2MDKHFLSG",
			"user.id":        "GLF6WUEKS5CSNDJ2OG6TCZD3M4", // no actor_details: falls back to actor_uuid
			"client.address": "89.160.20.156", "session.id": "ODOHXUYQCJBUJKRGZNNPBJURPE",
			"onepassword.session.device.id":  "rqtd557fn2husnstp5nc66w2xa",
			"onepassword.session.login_time": "2022-10-24T21:07:34.703106271Z",
			"onepassword.audit.action":       "suspend", "onepassword.audit.object.type": "user",
			"geo.location.lat": 43.64, "geo.location.lon": -79.433, "geo.locality.name": "Toronto",
			"onepassword.location.country": "Canada", "geo.country.iso_code": nil, // a name, not a code
			"user.email": nil,
		},
		body: map[string]any{"session.ip": "89.160.20.156", "location.latitude": 43.64},
	}, {
		path: "audit-events/v1-sumo-doc-sample-item.json",
		ts:   time.Date(2023, 3, 15, 19, 33, 50, 0, time.UTC), severity: plog.SeverityNumberInfo,
		attrs: map[string]any{
			// actor_details has the typo key "uuid:", so user.id comes from actor_uuid.
			"user.id": "4HCGRGYCTRQFBMGVEGTABYDU2V", "user.email": "jeff_shiner@agilebits.com", "user.full_name": "Jeff Shiner",
			"onepassword.audit.aux.id": int64(9277034), "onepassword.audit.aux.info": "A",
			"onepassword.audit.aux.user.email": "wendy_appleseed@agilebits.com",
			"onepassword.audit.object.id":      "pf8soyakgngrphytsyjed4ae3u",
		},
		body: map[string]any{"aux_id": int64(9277034), "actor_details.uuid:": "4HCGRGYCTRQFBMGVEGTABYDU2V", "timestamp": "2023-03-15T16:33:50-03:00"},
	}, {
		path: "audit-events/v2-vendor-doc-example.response.json",
		ts:   time.Date(2020, 6, 11, 19, 32, 50, 0, time.UTC), severity: plog.SeverityNumberInfo,
		attrs: map[string]any{
			"geo.country.iso_code": "CA", "geo.location.lat": -79.433, // the vendor example swaps lat/lon; kept as sent
			"onepassword.actor.account.id": "56YE2TYN2VFYRLNSHKPW5NVT5E", "onepassword.account.id": "56YE2TYN2VFYRLNSHKPW5NVT5E",
			"onepassword.audit.aux.id": int64(123), "onepassword.audit.object.user.full_name": "Jack O'Neill",
			"onepassword.audit.action": nil, // the example omits action
		},
	}, {
		path: "audit-events/v2-xsiam-test-page2.response.json",
		ts:   time.Date(2024, 12, 2, 11, 55, 20, 710457472, time.UTC), severity: plog.SeverityNumberInfo,
		attrs: map[string]any{"log.record.uid": "second (and last) event", "onepassword.actor.type": "user", "user.id": nil, "user.email": "userB@example.com"},
	}, {
		path: "audit-events/v2-xsiam-test-page1.response.json", item: 1,
		ts: time.Date(2024, 12, 2, 11, 54, 21, 246459830, time.UTC), severity: plog.SeverityNumberInfo, // 8 digits: ".24645983"
	}, {
		path: "signin-attempts/v2-vendor-doc-example.response.json",
		ts:   time.Date(2020, 6, 11, 19, 32, 50, 0, time.UTC), severity: plog.SeverityNumberWarn,
		attrs: map[string]any{
			"error.type": "firewall_failed", "onepassword.signin.category": "firewall_failed",
			"onepassword.signin.type": "continent_blocked", "onepassword.signin.details.value": "Europe",
			"onepassword.signin.country": "France", "geo.country.iso_code": "CA",
			"onepassword.user.type": "user", "onepassword.user.account.id": "56YE2TYN2VFYRLNSHKPW5NVT5E",
			"user_agent.name": "1Password Extension", "user_agent.os.version": "10.15.6",
		},
	}, {
		path: "signin-attempts/v1-elastic-pipeline-test-items.json", item: 0,
		ts: time.Date(2021, 8, 11, 14, 28, 3, 0, time.UTC), severity: plog.SeverityNumberInfo,
		attrs: map[string]any{"error.type": nil, "geo.country.iso_code": "AR", "onepassword.signin.details.value": nil, "session.id": "UED4KFZ5BH37IQWTJ7LG4VPWK7"},
		body:  map[string]any{"details": nil},
	}, {
		path: "signin-attempts/v1-elastic-pipeline-test-items.json", item: 1,
		ts: time.Date(2021, 8, 11, 15, 4, 22, 0, time.UTC), severity: plog.SeverityNumberWarn,
		attrs: map[string]any{"error.type": "credentials_failed", "client.address": "89.160.20.156", "user.full_name": "Name"},
	}, {
		path: "signin-attempts/v1-panther-test-items.json", severity: plog.SeverityNumberInfo,
		attrs: map[string]any{"log.record.uid": "1234", "onepassword.client.platform.name": "US - C02FR0H8MD6P"},
		body:  map[string]any{"timestamp": "2021-12-15 18:02:23"},
	}, {
		path: "item-usages/v1-elastic-mock-page1.response.json",
		ts:   time.Date(2021, 8, 30, 18, 57, 42, 484000000, time.UTC), severity: plog.SeverityNumberInfo,
		attrs: map[string]any{"onepassword.item.used_version": int64(1), "onepassword.item_usage.action": "reveal",
			"onepassword.vault.id": "jaqxqf5qylslqiitnduawrndc5", "onepassword.item.id": "bvwmmwxisuca7wbehrbyqhag54",
			"user.id": "OJQGU46KAPROEJLCK674RHSAY5", "client.address": "1.1.1.1"},
		body: map[string]any{"used_version": int64(1)},
	}, {
		path: "item-usages/v1-elastic-mock-page2.response.json",
		ts:   time.Date(2021, 8, 30, 19, 10, 0, 123000000, time.UTC), severity: plog.SeverityNumberInfo,
		attrs: map[string]any{"onepassword.item_usage.action": nil, "geo.locality.name": nil},
	}, {
		path: "item-usages/v2-vendor-doc-example.response.json",
		ts:   time.Date(2020, 6, 11, 19, 32, 50, 0, time.UTC), severity: plog.SeverityNumberInfo,
		attrs: map[string]any{"onepassword.user.type": "user", "onepassword.item.used_version": int64(123), "onepassword.account.id": "56YE2TYN2VFYRLNSHKPW5NVT5E"},
	}}
	byPath := map[string]fixture{}
	for _, fx := range loadFixtures(t) {
		byPath[fx.path] = fx
	}
	for _, c := range checks {
		fx, ok := byPath[c.path]
		require.True(t, ok, c.path)
		logs, _, err := decode(fx.body, fx.kind, fx.items)
		require.NoError(t, err)
		rec := records(logs).At(c.item)
		name := c.path + "#" + strconv.Itoa(c.item)
		var wantTS pcommon.Timestamp
		if !c.ts.IsZero() {
			wantTS = pcommon.NewTimestampFromTime(c.ts)
		}
		assert.Equal(t, wantTS, rec.Timestamp(), name+" timestamp")
		assert.Equal(t, c.severity, rec.SeverityNumber(), name+" severity")
		assert.Equal(t, fx.kind.EventName(), rec.EventName(), name)
		assert.Equal(t, observedAt, rec.ObservedTimestamp(), name)
		assert.Empty(t, rec.SeverityText(), name)
		for k, want := range c.attrs {
			got, ok := rec.Attributes().Get(k)
			if want == nil {
				if ok {
					t.Errorf("%s: attribute %s must be absent, is %v", name, k, got.AsRaw())
				}
				continue
			}
			if assert.True(t, ok, "%s: attribute %s missing", name, k) {
				assert.Equal(t, want, got.AsRaw(), "%s: attribute %s", name, k)
			}
		}
		for path, want := range c.body {
			v := rec.Body()
			for _, p := range splitBodyPath(path) {
				require.Equal(t, pcommon.ValueTypeMap, v.Type(), "%s: body.%s", name, path)
				var ok bool
				v, ok = v.Map().Get(p)
				require.True(t, ok, "%s: body.%s missing", name, path)
			}
			assert.Equal(t, want, v.AsRaw(), "%s: body.%s", name, path)
		}
	}
}

// splitBodyPath splits "a.b" into keys; a key may itself end in ':' (the Sumo typo).
func splitBodyPath(p string) []string { return strings.Split(p, ".") }

// TestBodyKeepsKeyOrder checks the order of keys against the file itself,
// without encoding/json.
func TestBodyKeepsKeyOrder(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(fixturesDir, "signin-attempts/v2-vendor-doc-example.response.json"))
	require.NoError(t, err)
	logs, _, err := decode(body, SigninAttempt, false)
	require.NoError(t, err)
	var keys []string
	for k := range records(logs).At(0).Body().Map().All() {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{"uuid", "session_uuid", "timestamp", "category", "type", "country", "details",
		"target_user", "client", "location", "account_uuid"}, keys)
	loc, _ := records(logs).At(0).Body().Map().Get("location")
	keys = keys[:0]
	for k := range loc.Map().All() {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{"country", "region", "city", "longitude", "latitude"}, keys)
}
