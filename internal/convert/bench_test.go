package convert

// Benchmarks: DecodePage against the floor (pdata building the very same
// records with no JSON at all) and against the naive way of doing the same
// job, on realistic 1,000-item v2 pages (compact JSON, as the API sends it).
//
//	go test -run='^$' -bench=DecodePage -benchmem -count=3 ./internal/convert
//
// Each kind has five sub-benchmarks:
//   - convert:     DecodePage.
//   - floor:       plog.LogRecordSlice.CopyTo of the records DecodePage made
//                  of the same page, into a fresh plog.Logs: the same records,
//                  the same pdata allocations (strings are shared, as
//                  DecodePage shares them with the page), no JSON. No
//                  decoder that builds these records through pdata can be
//                  faster, so convert/floor is how close DecodePage comes.
//   - ratio:       convert and floor alternately, page by page (which one
//                  goes first alternating too), each timed on its own, so
//                  that both see the same load on a shared machine; reports
//                  convert/floor (convert's events/s as a fraction of the
//                  floor's), the figure the target is stated in, and the
//                  same in CPU time (convert/floor-cpu).
//   - naive:       encoding/json (UseNumber) into map[string]any, numbers
//                  fixed up to int64/float64 as the contract requires,
//                  pcommon.Map.FromRaw for the body, attributes set from the
//                  map. Same output as DecodePage except the body's key order.
//   - naive_float: the same without UseNumber and the fix-up, i.e. what most
//                  receivers do (every number a double, aux_id above 2^53
//                  rounded); the cheapest baseline.
//
// Besides ns/op, B/op and allocs/op (per page) every benchmark but ratio
// reports events/s, B/event and allocs/event.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

const benchItems = 1000

type decodeFunc func([]byte, Kind, pcommon.Timestamp, plog.LogRecordSlice) (PageInfo, error)

func BenchmarkDecodePage(b *testing.B) {
	for _, kind := range []Kind{AuditEvent, ItemUsage, SigninAttempt} {
		page := benchPage(kind, benchItems, 1)
		decoded := plog.NewLogRecordSlice()
		if _, err := DecodePage(page, kind, pcommon.NewTimestampFromTime(time.Now()), decoded); err != nil {
			b.Fatal(err)
		}
		b.Run(kind.String()+"/convert", func(b *testing.B) { benchDecode(b, page, kind, DecodePage) })
		b.Run(kind.String()+"/floor", func(b *testing.B) { benchFloor(b, decoded) })
		b.Run(kind.String()+"/ratio", func(b *testing.B) { benchRatio(b, page, kind, decoded) })
		b.Run(kind.String()+"/naive", func(b *testing.B) { benchDecode(b, page, kind, naiveDecodePage) })
		b.Run(kind.String()+"/naive_float", func(b *testing.B) { benchDecode(b, page, kind, naiveFloatDecodePage) })
	}
}

// newBenchRecords is where every benchmark puts its records: a fresh
// plog.Logs, as the receiver starts one per page.
func newBenchRecords() plog.LogRecordSlice {
	return plog.NewLogs().ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
}

func benchDecode(b *testing.B, page []byte, kind Kind, decode decodeFunc) {
	observed := pcommon.NewTimestampFromTime(time.Now())
	b.SetBytes(int64(len(page)))
	measurePerEvent(b, func() {
		info, err := decode(page, kind, observed, newBenchRecords())
		if err != nil || info.Items != benchItems {
			b.Fatalf("items %d, err %v", info.Items, err)
		}
	})
}

// benchFloor copies records decoded beforehand: what pdata alone costs.
func benchFloor(b *testing.B, decoded plog.LogRecordSlice) {
	measurePerEvent(b, func() {
		recs := newBenchRecords()
		decoded.CopyTo(recs)
		if recs.Len() != benchItems {
			b.Fatalf("copied %d records", recs.Len())
		}
	})
}

// benchRatio alternates a decode and a copy of the same page and times each,
// in wall time and in the process's CPU time (which includes the garbage
// collector's background work, wherever it lands). convert/floor is the
// floor's total time over the converter's, i.e. convert's events/s over the
// floor's; convert/floor-p50 is the median of that ratio over the pairs,
// which ignores the pairs that a burst of other work on a shared machine
// hit in only one half.
func benchRatio(b *testing.B, page []byte, kind Kind, decoded plog.LogRecordSlice) {
	observed := pcommon.NewTimestampFromTime(time.Now())
	var convert, floor, convertCPU, floorCPU time.Duration
	var wall, cpu []float64
	decode := func() {
		if _, err := DecodePage(page, kind, observed, newBenchRecords()); err != nil {
			b.Fatal(err)
		}
	}
	copyFloor := func() { decoded.CopyTo(newBenchRecords()) }
	for n := 0; b.Loop(); n++ {
		// Which one goes first alternates, so that neither is always the
		// one that starts a garbage collection the other one caused.
		first, second := decode, copyFloor
		if n%2 == 1 {
			first, second = copyFloor, decode
		}
		start, startCPU := time.Now(), processCPU()
		first()
		mid, midCPU := time.Now(), processCPU()
		second()
		end, endCPU := time.Now(), processCPU()
		c, f, cc, fc := mid.Sub(start), end.Sub(mid), midCPU-startCPU, endCPU-midCPU
		if n%2 == 1 {
			c, f, cc, fc = f, c, fc, cc
		}
		convert += c
		floor += f
		wall = append(wall, float64(f)/float64(c))
		if cc > 0 {
			convertCPU += cc
			floorCPU += fc
			cpu = append(cpu, float64(fc)/float64(cc))
		}
	}
	events := float64(b.N) * benchItems
	b.ReportMetric(float64(convert.Nanoseconds())/events, "convert-ns/event")
	b.ReportMetric(float64(floor.Nanoseconds())/events, "floor-ns/event")
	b.ReportMetric(float64(floor)/float64(convert), "convert/floor")
	b.ReportMetric(median(wall), "convert/floor-p50")
	if len(cpu) > 0 {
		b.ReportMetric(float64(convertCPU.Nanoseconds())/events, "convert-cpu-ns/event")
		b.ReportMetric(float64(floorCPU.Nanoseconds())/events, "floor-cpu-ns/event")
		b.ReportMetric(float64(floorCPU)/float64(convertCPU), "convert/floor-cpu")
	}
}

func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}

// measurePerEvent runs op, one 1,000-item page, in the benchmark loop and
// reports the per-event figures beside the per-page ones.
func measurePerEvent(b *testing.B, op func()) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		op()
	}
	runtime.ReadMemStats(&after)
	events := float64(b.N) * benchItems
	b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/events, "B/event")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/events, "allocs/event")
}

// TestBenchPagesDecodeAlike keeps the benchmark honest: on the benchmark
// pages the naive converter produces the same records as DecodePage.
func TestBenchPagesDecodeAlike(t *testing.T) {
	for _, kind := range []Kind{AuditEvent, ItemUsage, SigninAttempt} {
		page := benchPage(kind, 200, 7)
		got, want := plog.NewLogRecordSlice(), plog.NewLogRecordSlice()
		gi, err := DecodePage(page, kind, 1, got)
		if err != nil {
			t.Fatal(err)
		}
		wi, err := naiveDecodePage(page, kind, 1, want)
		if err != nil {
			t.Fatal(err)
		}
		if gi != wi {
			t.Errorf("%v: page info %+v, naive %+v", kind, gi, wi)
		}
		for i := range got.Len() {
			if d := diffRecords(want.At(i), got.At(i)); d != "" {
				t.Fatalf("%v item %d: %s", kind, i, d)
			}
		}
	}
}

// ---- the naive converter ----

type naivePage struct {
	Cursor  *string          `json:"cursor"`
	HasMore bool             `json:"has_more"`
	Items   []map[string]any `json:"items"`
}

func naiveDecodePage(body []byte, kind Kind, observed pcommon.Timestamp, dst plog.LogRecordSlice) (PageInfo, error) {
	var page naivePage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&page); err != nil {
		return PageInfo{}, err
	}
	for _, item := range page.Items {
		fixNumbers(item)
	}
	return naiveRecords(page, kind, observed, dst, false), nil
}

func naiveFloatDecodePage(body []byte, kind Kind, observed pcommon.Timestamp, dst plog.LogRecordSlice) (PageInfo, error) {
	var page naivePage
	if err := json.Unmarshal(body, &page); err != nil {
		return PageInfo{}, err
	}
	return naiveRecords(page, kind, observed, dst, true), nil
}

// fixNumbers replaces json.Number by int64 (integer literals that fit) or
// float64, in place.
func fixNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = fixNumbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = fixNumbers(e)
		}
	case json.Number:
		return refNumber(string(t)).raw()
	}
	return v
}

func naiveRecords(page naivePage, kind Kind, observed pcommon.Timestamp, dst plog.LogRecordSlice, floats bool) PageInfo {
	info := PageInfo{HasMore: page.HasMore, Items: len(page.Items)}
	if page.Cursor != nil {
		info.Cursor, info.HasCursor = *page.Cursor, true
	}
	for _, item := range page.Items {
		rec := dst.AppendEmpty()
		rec.SetEventName(kind.EventName())
		rec.SetObservedTimestamp(observed)
		_ = rec.Body().SetEmptyMap().FromRaw(item)
		ts, ok := "", false
		if s, isStr := item["timestamp"].(string); isStr {
			ts, ok = s, true
		}
		if t, err := time.Parse(time.RFC3339Nano, ts); ok && err == nil && t.Year() <= 2261 && t.UnixNano() >= 0 && !strings.ContainsRune(ts, ',') {
			rec.SetTimestamp(pcommon.NewTimestampFromTime(t))
			info.Newest = max(info.Newest, rec.Timestamp())
		} else {
			info.MissingTimestamp++
		}
		if s, _ := item["uuid"].(string); s == "" {
			info.MissingUUID++
		}
		rec.SetSeverityNumber(naiveSeverity(kind, item))
		naiveAttributes(kind, item, rec.Attributes(), floats)
	}
	return info
}

func naiveSeverity(kind Kind, item map[string]any) plog.SeverityNumber {
	switch kind {
	case SigninAttempt:
		c, _ := item["category"].(string)
		if c != "success" && c != "firewall_reported_success" {
			return plog.SeverityNumberWarn
		}
	case AuditEvent:
		switch item["action"] {
		case "disblmfa", "disblsso", "disblduo", "updatfw", "export":
			return plog.SeverityNumberWarn
		}
	case ItemUsage:
		if item["action"] == "export" {
			return plog.SeverityNumberWarn
		}
	}
	return plog.SeverityNumberInfo
}

// naiveAttributes derives the attributes from the decoded map, written
// straight from the mapping in the README, independently of fields.go.
func naiveAttributes(kind Kind, item map[string]any, attrs pcommon.Map, floats bool) {
	str := func(m map[string]any, k string) (string, bool) {
		s, ok := m[k].(string)
		return s, ok && s != ""
	}
	obj := func(m map[string]any, k string) map[string]any {
		o, _ := m[k].(map[string]any)
		return o
	}
	put := func(name string, m map[string]any, k string) {
		if s, ok := str(m, k); ok {
			attrs.PutStr(name, s)
		}
	}
	putInt := func(name string, m map[string]any, k string) {
		switch n := m[k].(type) {
		case int64:
			attrs.PutInt(name, n)
		case float64:
			if floats && n == float64(int64(n)) {
				attrs.PutInt(name, int64(n))
			}
		}
	}
	putDouble := func(name string, m map[string]any, k string) {
		switch n := m[k].(type) {
		case int64:
			attrs.PutDouble(name, float64(n))
		case float64:
			attrs.PutDouble(name, n)
		}
	}
	iso := func(s string) (string, bool) {
		if len(s) == 2 && isLetter(s[0]) && isLetter(s[1]) {
			return strings.ToUpper(s), true
		}
		return "", false
	}
	putUser := func(u map[string]any) {
		put("user.email", u, "email")
		put("user.full_name", u, "name")
		if _, ok := str(u, "user_type"); ok {
			put("onepassword.user.type", u, "user_type")
		} else {
			put("onepassword.user.type", u, "type")
		}
		put("onepassword.user.account.id", u, "user_account_uuid")
	}
	putClient := func(c map[string]any) {
		put("client.address", c, "ip_address")
		put("user_agent.name", c, "app_name")
		put("user_agent.version", c, "app_version")
		put("user_agent.os.name", c, "os_name")
		put("user_agent.os.version", c, "os_version")
		put("onepassword.client.platform.name", c, "platform_name")
		put("onepassword.client.platform.version", c, "platform_version")
	}
	loc := obj(item, "location")
	put("log.record.uid", item, "uuid")
	put("geo.locality.name", loc, "city")
	putDouble("geo.location.lat", loc, "latitude")
	putDouble("geo.location.lon", loc, "longitude")
	put("onepassword.location.country", loc, "country")
	put("onepassword.location.region", loc, "region")
	c, _ := str(loc, "country")
	if code, ok := iso(c); ok {
		attrs.PutStr("geo.country.iso_code", code)
	} else if c, _ := str(item, "country"); kind == SigninAttempt {
		if code, ok := iso(c); ok {
			attrs.PutStr("geo.country.iso_code", code)
		}
	}
	put("onepassword.account.id", item, "account_uuid")

	switch kind {
	case SigninAttempt:
		tu := obj(item, "target_user")
		put("user.id", tu, "uuid")
		putUser(tu)
		put("session.id", item, "session_uuid")
		putClient(obj(item, "client"))
		put("onepassword.signin.category", item, "category")
		put("onepassword.signin.type", item, "type")
		put("onepassword.signin.country", item, "country")
		put("onepassword.signin.details.value", obj(item, "details"), "value")
		if c, ok := str(item, "category"); ok && c != "success" && c != "firewall_reported_success" {
			attrs.PutStr("error.type", c)
		}
	case ItemUsage:
		u := obj(item, "user")
		put("user.id", u, "uuid")
		putUser(u)
		putClient(obj(item, "client"))
		put("onepassword.item_usage.action", item, "action")
		put("onepassword.vault.id", item, "vault_uuid")
		put("onepassword.item.id", item, "item_uuid")
		putInt("onepassword.item.used_version", item, "used_version")
	case AuditEvent:
		ad := obj(item, "actor_details")
		if _, ok := str(ad, "uuid"); ok {
			put("user.id", ad, "uuid")
		} else {
			put("user.id", item, "actor_uuid")
		}
		putUser(ad)
		put("onepassword.actor.id", item, "actor_uuid")
		put("onepassword.actor.type", item, "actor_type")
		put("onepassword.actor.account.id", item, "actor_account_uuid")
		put("onepassword.audit.action", item, "action")
		put("onepassword.audit.object.type", item, "object_type")
		put("onepassword.audit.object.id", item, "object_uuid")
		od := obj(item, "object_details")
		put("onepassword.audit.object.user.id", od, "uuid")
		put("onepassword.audit.object.user.email", od, "email")
		put("onepassword.audit.object.user.full_name", od, "name")
		putInt("onepassword.audit.aux.id", item, "aux_id")
		put("onepassword.audit.aux.uuid", item, "aux_uuid")
		xd := obj(item, "aux_details")
		put("onepassword.audit.aux.user.id", xd, "uuid")
		put("onepassword.audit.aux.user.email", xd, "email")
		put("onepassword.audit.aux.user.full_name", xd, "name")
		put("onepassword.audit.aux.info", item, "aux_info")
		s := obj(item, "session")
		put("client.address", s, "ip")
		put("session.id", s, "uuid")
		put("onepassword.session.device.id", s, "device_uuid")
		put("onepassword.session.login_time", s, "login_time")
	}
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// diffRecords compares two records completely (event name, timestamps,
// severity, attributes, body as maps); "" when equal.
func diffRecords(want, got plog.LogRecord) string {
	switch {
	case want.EventName() != got.EventName():
		return fmt.Sprintf("event name %q, want %q", got.EventName(), want.EventName())
	case want.Timestamp() != got.Timestamp():
		return fmt.Sprintf("timestamp %d, want %d", got.Timestamp(), want.Timestamp())
	case want.ObservedTimestamp() != got.ObservedTimestamp():
		return fmt.Sprintf("observed timestamp %d, want %d", got.ObservedTimestamp(), want.ObservedTimestamp())
	case want.SeverityNumber() != got.SeverityNumber():
		return fmt.Sprintf("severity %v, want %v", got.SeverityNumber(), want.SeverityNumber())
	case got.SeverityText() != "":
		return "severity text " + got.SeverityText()
	}
	if d := diffRaw("attributes", want.Attributes().AsRaw(), got.Attributes().AsRaw()); d != "" {
		return d
	}
	return diffRaw("body", want.Body().AsRaw(), got.Body().AsRaw())
}

func diffRaw(what string, want, got any) string {
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if !bytes.Equal(w, g) {
		return fmt.Sprintf("%s:\n got  %s\n want %s", what, g, w)
	}
	return ""
}

// ---- realistic pages ----

// benchPage builds a v2 page of n items in the API's compact form, with
// values varied the way real pages vary them (a few users and devices, many
// uuids, mostly successes, now and then a failure, a firewall detail, an
// MSP user, a missing location).
func benchPage(kind Kind, n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 42))
	items := make([]any, n)
	ts := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	users := make([]benchUser, 40)
	for i := range users {
		first, last := pick(r, firstNames), pick(r, lastNames)
		users[i] = benchUser{UUID: upperID(r), Name: first + " " + last, Email: strings.ToLower(first+"."+last) + "@example.com"}
	}
	for i := range items {
		ts = ts.Add(time.Duration(r.IntN(3_000_000_000)))
		u := users[r.IntN(len(users))]
		if r.IntN(5) == 0 { // MSP accounts: external users carry the v2 extras
			u.UserType, u.UserAccountUUID = pick(r, []string{"user", "external_user"}), upperID(r)
		}
		loc := pick(r, locations)
		var locp *benchLocation
		if r.IntN(20) != 0 {
			locp = &loc
		}
		client := pick(r, clients)
		client.IP = fmt.Sprintf("%d.%d.%d.%d", 1+r.IntN(223), r.IntN(256), r.IntN(256), 1+r.IntN(254))
		stamp := ts.Format(time.RFC3339Nano)
		switch kind {
		case SigninAttempt:
			it := benchSignin{UUID: upperID(r), SessionUUID: upperID(r), Timestamp: stamp,
				Category: "success", Type: "credentials_ok", Country: loc.code,
				TargetUser: u, Client: client, Location: locp, AccountUUID: "VZ4H2K6RX5B3TLM7QJ2A4PNW6Y"}
			switch r.IntN(20) {
			case 0, 1:
				it.Category, it.Type = "credentials_failed", "password_secret_bad"
			case 2:
				it.Category, it.Type = "mfa_failed", pick(r, []string{"totp_bad", "u2f_bad", "duo_bad"})
			case 3:
				it.Category, it.Type = "firewall_failed", "country_blocked"
				it.Details = &benchDetails{Value: loc.code}
			case 4:
				it.Category, it.Type = "firewall_reported_success", "credentials_ok"
				it.Details = &benchDetails{Value: pick(r, []string{"North America", "Europe"})}
			}
			items[i] = it
		case ItemUsage:
			items[i] = benchUsage{UUID: upperID(r), Timestamp: stamp, UsedVersion: 1 + r.IntN(30),
				VaultUUID: lowerID(r), ItemUUID: lowerID(r),
				Action: pick(r, []string{"fill", "fill", "fill", "secure-copy", "reveal", "server-fetch", "enter-item-edit-mode", "export"}),
				User:   u, Client: client, Location: locp, AccountUUID: "VZ4H2K6RX5B3TLM7QJ2A4PNW6Y"}
		case AuditEvent:
			it := benchAudit{UUID: upperID(r), Timestamp: stamp, ActorUUID: u.UUID, ActorDetails: &u,
				Action: "update", ObjectType: "vault", ObjectUUID: lowerID(r),
				Session: benchSession{UUID: upperID(r), LoginTime: ts.Add(-time.Duration(r.IntN(3600)) * time.Second).Format(time.RFC3339Nano),
					DeviceUUID: lowerID(r), IP: client.IP},
				Location: locp, ActorType: "user", ActorAccountUUID: "VZ4H2K6RX5B3TLM7QJ2A4PNW6Y", AccountUUID: "VZ4H2K6RX5B3TLM7QJ2A4PNW6Y"}
			switch r.IntN(6) {
			case 0: // group membership: aux fields
				o := users[r.IntN(len(users))]
				it.Action, it.ObjectType = "join", "gm"
				it.AuxID, it.AuxUUID, it.AuxDetails, it.AuxInfo = 9_000_000+r.Int64N(1_000_000), o.UUID, &o, pick(r, []string{"A", "R"})
			case 1: // user administration: object_details
				o := users[r.IntN(len(users))]
				it.Action, it.ObjectType, it.ObjectUUID, it.ObjectDetails = pick(r, []string{"suspend", "reactive", "role", "disblmfa"}), "user", o.UUID, &o
			case 2:
				it.Action = pick(r, []string{"grant", "revoke", "export"})
			}
			items[i] = it
		}
	}
	page, err := json.Marshal(map[string]any{"cursor": "aGVsbG8hIGlzIGl0IG1lIHlvdSBhcmUgbG9va2luZyBmb3IK", "has_more": true, "items": items})
	if err != nil {
		panic(err)
	}
	return page
}

type benchUser struct {
	UUID            string `json:"uuid"`
	Name            string `json:"name"`
	Email           string `json:"email"`
	UserType        string `json:"user_type,omitempty"`
	UserAccountUUID string `json:"user_account_uuid,omitempty"`
}

type benchClient struct {
	AppName         string `json:"app_name"`
	AppVersion      string `json:"app_version"`
	PlatformName    string `json:"platform_name"`
	PlatformVersion string `json:"platform_version"`
	OSName          string `json:"os_name"`
	OSVersion       string `json:"os_version"`
	IP              string `json:"ip_address"`
}

type benchLocation struct {
	Country   string  `json:"country"`
	Region    string  `json:"region"`
	City      string  `json:"city"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	code      string
}

type benchDetails struct {
	Value string `json:"value"`
}

type benchSignin struct {
	UUID        string         `json:"uuid"`
	SessionUUID string         `json:"session_uuid"`
	Timestamp   string         `json:"timestamp"`
	Category    string         `json:"category"`
	Type        string         `json:"type"`
	Country     string         `json:"country"`
	Details     *benchDetails  `json:"details"`
	TargetUser  benchUser      `json:"target_user"`
	Client      benchClient    `json:"client"`
	Location    *benchLocation `json:"location,omitempty"`
	AccountUUID string         `json:"account_uuid"`
}

type benchUsage struct {
	UUID        string         `json:"uuid"`
	Timestamp   string         `json:"timestamp"`
	UsedVersion int            `json:"used_version"`
	VaultUUID   string         `json:"vault_uuid"`
	ItemUUID    string         `json:"item_uuid"`
	Action      string         `json:"action"`
	User        benchUser      `json:"user"`
	Client      benchClient    `json:"client"`
	Location    *benchLocation `json:"location,omitempty"`
	AccountUUID string         `json:"account_uuid"`
}

type benchSession struct {
	UUID       string `json:"uuid"`
	LoginTime  string `json:"login_time"`
	DeviceUUID string `json:"device_uuid"`
	IP         string `json:"ip"`
}

type benchAudit struct {
	UUID             string         `json:"uuid"`
	Timestamp        string         `json:"timestamp"`
	ActorUUID        string         `json:"actor_uuid"`
	ActorDetails     *benchUser     `json:"actor_details,omitempty"`
	Action           string         `json:"action"`
	ObjectType       string         `json:"object_type"`
	ObjectUUID       string         `json:"object_uuid"`
	ObjectDetails    *benchUser     `json:"object_details,omitempty"`
	AuxID            int64          `json:"aux_id,omitempty"`
	AuxUUID          string         `json:"aux_uuid,omitempty"`
	AuxDetails       *benchUser     `json:"aux_details,omitempty"`
	AuxInfo          string         `json:"aux_info,omitempty"`
	Session          benchSession   `json:"session"`
	Location         *benchLocation `json:"location,omitempty"`
	ActorType        string         `json:"actor_type"`
	ActorAccountUUID string         `json:"actor_account_uuid"`
	AccountUUID      string         `json:"account_uuid"`
}

var (
	firstNames = []string{"Wendy", "Jeff", "Ana", "Rahul", "Mei", "Olu", "Sofia", "Lars", "Yuki", "Camille"}
	lastNames  = []string{"Appleseed", "Shiner", "Silva", "Gupta", "Chen", "Adeyemi", "Rossi", "Berg", "Sato", "Martin"}
	locations  = []benchLocation{
		{"Canada", "Ontario", "Toronto", 43.64, -79.433, "CA"},
		{"United States", "California", "Santa Clara", 37.3541, -121.9552, "US"},
		{"Israel", "Tel Aviv", "Tel Aviv", 32.0853, 34.7818, "IL"},
		{"Germany", "Berlin", "Berlin", 52.52, 13.405, "DE"},
		{"Argentina", "Buenos Aires", "Buenos Aires", -34.6037, -58.3816, "AR"},
		{"CA", "Quebec", "Montréal", 45.5019, -73.5674, "CA"},
	}
	clients = []benchClient{
		{"1Password Browser Extension", "81055002", "Chrome", "131.0.6778.86", "MacOSX", "14.6.1", ""},
		{"1Password for Mac", "81055002", "US - C02FR0H8MD6P", "MacBookPro16,1", "MacOSX", "14.6.1", ""},
		{"1Password for Windows", "81054040", "DESKTOP-7Q3K9", "Intel(R) Core(TM) i7", "Windows", "10.0.22631", ""},
		{"1Password for Android", "81054012", "Pixel 8", "arm64-v8a", "Android", "14", ""},
		{"1Password CLI", "2300201", "", "x86_64", "Linux", "6.8.0", ""},
		{"1Password for Web", "2124", "Firefox", "133.0", "Linux", "", ""},
	}
)

const base32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

func upperID(r *rand.Rand) string {
	b := make([]byte, 26)
	for i := range b {
		b[i] = base32Upper[r.IntN(32)]
	}
	return string(b)
}

func lowerID(r *rand.Rand) string { return strings.ToLower(upperID(r)) }

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }
