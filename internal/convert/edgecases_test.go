package convert

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// edgeCase is a hand-written page (or bare item array) with the envelope
// facts it must yield; its records are checked against the encoding/json
// reference and against testdata/golden/edge/<name>.yaml.
type edgeCase struct {
	name  string
	kind  Kind
	items bool // DecodeItems instead of DecodePage
	input string
	want  PageInfo // Newest is checked against the reference instead
}

const ts0 = `"timestamp":"2026-11-02T08:00:00Z"`

var edgeCases = []edgeCase{
	// ---- envelope ----
	{name: "envelope-cursor-missing", kind: ItemUsage,
		input: `{"has_more":false,"items":[]}`, want: PageInfo{}},
	{name: "envelope-cursor-null", kind: ItemUsage,
		input: `{"cursor":null,"has_more":true,"items":[]}`, want: PageInfo{HasMore: true}},
	{name: "envelope-cursor-empty-string", kind: ItemUsage,
		input: `{"cursor":"","items":[]}`, want: PageInfo{HasCursor: true}},
	{name: "envelope-items-null", kind: SigninAttempt,
		input: `{"cursor":"c1","has_more":false,"items":null}`, want: PageInfo{Cursor: "c1", HasCursor: true}},
	{name: "envelope-items-missing", kind: SigninAttempt,
		input: `{"cursor":"c1","has_more":false}`, want: PageInfo{Cursor: "c1", HasCursor: true}},
	{name: "envelope-has-more-missing", kind: AuditEvent,
		input: `{"items":[{"uuid":"A",` + ts0 + `}],"cursor":"c2"}`, want: PageInfo{Cursor: "c2", HasCursor: true, Items: 1}},
	{name: "envelope-has-more-null", kind: AuditEvent,
		input: `{"has_more":null,"cursor":"c2"}`, want: PageInfo{Cursor: "c2", HasCursor: true}},
	{name: "envelope-empty-object", kind: AuditEvent, input: ` {} `, want: PageInfo{}},
	{name: "envelope-unknown-keys-any-order", kind: ItemUsage,
		input: "\t{ \"meta\" : {\"a\":[1,2.5e3,{\"b\":null}],\"c\":\"\\u00e9\"} ,\n \"items\" : [ { \"uuid\" : \"U1\" , " + ts0 + " } ] , \"has_more\" : true , \"cursor\" : \"c\\/3\" , \"x\":-0.5e-3, \"y\":true,\"z\":false }\r\n",
		want:  PageInfo{Cursor: "c/3", HasCursor: true, HasMore: true, Items: 1}},
	{name: "envelope-repeated-keys-last-wins", kind: ItemUsage,
		input: `{"cursor":"first","items":[{"uuid":"dropped",` + ts0 + `},{"uuid":"dropped too"}],"has_more":true,"items":[{"uuid":"kept",` + ts0 + `}],"cursor":"second","has_more":false}`,
		want:  PageInfo{Cursor: "second", HasCursor: true, Items: 1}},
	{name: "envelope-repeated-items-null-last", kind: ItemUsage,
		input: `{"items":[{"uuid":"dropped",` + ts0 + `}],"items":null}`, want: PageInfo{}},
	{name: "items-array-bare", kind: SigninAttempt, items: true,
		input: `[{"uuid":"S1",` + ts0 + `,"category":"success"},{"uuid":"S2",` + ts0 + `,"category":"sso_failed"}]`,
		want:  PageInfo{Items: 2}},
	{name: "items-array-empty", kind: SigninAttempt, items: true, input: ` [ ] `, want: PageInfo{}},

	// ---- sign-in attempts ----
	{name: "signin-missing-optional-objects", kind: SigninAttempt,
		input: `{"items":[{"uuid":"HGIF4OEWXDTVWKEQDIWTKV26HU",` + ts0 + `,"category":"success","type":"credentials_ok"}]}`,
		want:  PageInfo{Items: 1}},
	{name: "signin-details-null-and-objects-null", kind: SigninAttempt,
		input: `{"items":[{"uuid":"A",` + ts0 + `,"category":"success","details":null,"target_user":null,"client":null,"location":null,"country":null}]}`,
		want:  PageInfo{Items: 1}},
	{name: "signin-v2-target-user-type-key", kind: SigninAttempt, // XSIAM documents target_user.type for v2
		input: `{"items":[{"uuid":"A","session_uuid":"S",` + ts0 + `,"category":"success","type":"federated","country":"US","details":null,` +
			`"target_user":{"uuid":"U","name":"N","email":"e@x.io","type":"external_user","user_account_uuid":"ACC2"},"account_uuid":"ACC1"}]}`,
		want: PageInfo{Items: 1}},
	{name: "signin-v2-user-type-wins-over-type", kind: SigninAttempt,
		input: `{"items":[{"uuid":"A",` + ts0 + `,"category":"success","target_user":{"uuid":"U","type":"t","user_type":"user"}}]}`,
		want:  PageInfo{Items: 1}},
	{name: "signin-categories", kind: SigninAttempt, // severity and error.type for every category, known or not
		input: `{"items":[` +
			`{"uuid":"1",` + ts0 + `,"category":"success"},` +
			`{"uuid":"2",` + ts0 + `,"category":"firewall_reported_success","details":{"value":"Europe"}},` +
			`{"uuid":"3",` + ts0 + `,"category":"credentials_failed"},` +
			`{"uuid":"4",` + ts0 + `,"category":"mfa_failed"},` +
			`{"uuid":"5",` + ts0 + `,"category":"sso_failed"},` +
			`{"uuid":"6",` + ts0 + `,"category":"modern_version_failed"},` +
			`{"uuid":"7",` + ts0 + `,"category":"firewall_failed","type":"ip_blocked","details":{"value":"192.0.2.1"}},` +
			`{"uuid":"8",` + ts0 + `,"category":"passkey_failed","type":"passkey_bad"},` +
			`{"uuid":"9",` + ts0 + `},` +
			`{"uuid":"10",` + ts0 + `,"category":""},` +
			`{"uuid":"11",` + ts0 + `,"category":7},` +
			`{"uuid":"12",` + ts0 + `,"category":"Success"}]}`,
		want: PageInfo{Items: 12}},
	{name: "signin-country-codes", kind: SigninAttempt, // geo.country.iso_code: location.country if a code, else the top-level country
		input: `{"items":[` +
			`{"uuid":"1",` + ts0 + `,"category":"success","country":"AR","location":{"country":"ca"}},` +
			`{"uuid":"2",` + ts0 + `,"category":"success","country":"AR","location":{"country":"CA"}},` +
			`{"uuid":"3",` + ts0 + `,"category":"success","country":"ar","location":{"country":"Canada"}},` +
			`{"uuid":"4",` + ts0 + `,"category":"success","country":"France","location":{"country":"Canada"}},` +
			`{"uuid":"5",` + ts0 + `,"category":"success","country":"US"},` +
			`{"uuid":"6",` + ts0 + `,"category":"success","country":"U1","location":{"country":"C1"}},` +
			`{"uuid":"7",` + ts0 + `,"category":"success","country":"USA","location":{"country":"","region":"","city":""}},` +
			`{"uuid":"8",` + ts0 + `,"category":"success","country":"Ca","location":{"country":"é1"}}]}`,
		want: PageInfo{Items: 8}},

	// ---- item usages ----
	{name: "usage-absent-action-and-location", kind: ItemUsage,
		input: `{"items":[{"uuid":"MCQ",` + ts0 + `,"used_version":0,"vault_uuid":"v","item_uuid":"i","user":{"uuid":"U","name":"N","email":"e@x.io"},"client":{"app_name":"1Password CLI","app_version":"2300201","ip_address":"192.0.2.7"}}]}`,
		want:  PageInfo{Items: 1}},
	{name: "usage-actions", kind: ItemUsage,
		input: `{"items":[{"uuid":"1",` + ts0 + `,"action":"fill"},{"uuid":"2",` + ts0 + `,"action":"export"},{"uuid":"3",` + ts0 + `,"action":"other"},{"uuid":"4",` + ts0 + `,"action":"future-action"},{"uuid":"5",` + ts0 + `,"action":null}]}`,
		want:  PageInfo{Items: 5}},
	{name: "usage-v2-msp-user", kind: ItemUsage,
		input: `{"items":[{"uuid":"A",` + ts0 + `,"used_version":3,"vault_uuid":"V","item_uuid":"I","action":"secure-copy","user":{"uuid":"U","name":"N","email":"e@x.io","user_type":"external_user","user_account_uuid":"ACC2"},"account_uuid":"ACC1"}]}`,
		want:  PageInfo{Items: 1}},
	{name: "usage-wrong-types", kind: ItemUsage, // the body keeps them; the attributes are left out
		input: `{"items":[{"uuid":"A",` + ts0 + `,"used_version":"3","vault_uuid":5,"item_uuid":["i"],"action":{"name":"fill"},"user":"U","client":{"ip_address":true,"app_name":null},"location":{"latitude":"43.6","longitude":null,"city":1}},` +
			`{"uuid":"B",` + ts0 + `,"used_version":2.0,"location":{"latitude":43,"longitude":-79}},` +
			`{"uuid":"C",` + ts0 + `,"used_version":1e2,"location":{"latitude":4.3e1,"longitude":-0}}]}`,
		want: PageInfo{Items: 3}},

	// ---- audit events ----
	{name: "audit-timestamps", kind: AuditEvent, // fractional digits 0,1,3,6,7,8,9 and offsets
		input: `{"items":[` +
			`{"uuid":"0","timestamp":"2024-12-02T11:54:21Z"},` +
			`{"uuid":"1","timestamp":"2024-12-02T11:54:21.1Z"},` +
			`{"uuid":"3","timestamp":"2024-12-02T11:54:21.123Z"},` +
			`{"uuid":"6","timestamp":"2024-12-02T11:54:21.123456Z"},` +
			`{"uuid":"7","timestamp":"2024-12-02T11:54:21.1234567Z"},` +
			`{"uuid":"8","timestamp":"2024-12-02T11:54:21.24645983Z"},` +
			`{"uuid":"9","timestamp":"2024-12-02T11:54:21.123456789Z"},` +
			`{"uuid":"minus3","timestamp":"2020-06-11T16:32:50-03:00"},` +
			`{"uuid":"plus0530","timestamp":"2020-06-11T16:32:50.5+05:30"},` +
			`{"uuid":"plus0000","timestamp":"2020-06-11T16:32:50+00:00"},` +
			`{"uuid":"leap-day","timestamp":"2024-02-29T23:59:59.999999999Z"},` +
			`{"uuid":"epoch","timestamp":"1970-01-01T00:00:00Z"}]}`,
		want: PageInfo{Items: 12}},
	{name: "audit-missing-uuid-garbled-timestamps", kind: AuditEvent, // counted, still delivered
		input: `{"items":[` +
			`{"action":"create","timestamp":"2024-12-02T11:54:21Z"},` +
			`{"uuid":"","timestamp":"2024-12-02T11:54:21Z"},` +
			`{"uuid":123,"timestamp":"2024-12-02T11:54:21Z"},` +
			`{"uuid":null,"timestamp":"2024-12-02T11:54:21Z"},` +
			`{"uuid":"T1"},` +
			`{"uuid":"T2","timestamp":"yesterday"},` +
			`{"uuid":"T3","timestamp":1690000000},` +
			`{"uuid":"T4","timestamp":"2021-02-30T00:00:00Z"},` +
			`{"uuid":"T5","timestamp":"2021-12-15 18:02:23"},` +
			`{"uuid":"T6","timestamp":"2021-12-15T18:02:23"},` +
			`{"uuid":"T7","timestamp":"2021-12-15T18:02:23.Z"},` +
			`{"uuid":"T8","timestamp":"2021-12-15T24:00:00Z"},` +
			`{"uuid":"T9","timestamp":"1969-12-31T23:59:59Z"},` +
			`{"uuid":"T10","timestamp":"2021-12-15T18:02:23+25:00"},` +
			`{"uuid":"T11","timestamp":""},` +
			`{"uuid":"T12","timestamp":null}]}`,
		want: PageInfo{Items: 16, MissingUUID: 4, MissingTimestamp: 12}},
	{name: "audit-aux-id-numbers", kind: AuditEvent, // ints stay exact above 2^53; anything else is a double
		input: `{"items":[` +
			`{"uuid":"1",` + ts0 + `,"aux_id":9007199254740993},` +
			`{"uuid":"2",` + ts0 + `,"aux_id":9223372036854775807},` +
			`{"uuid":"3",` + ts0 + `,"aux_id":-9223372036854775808},` +
			`{"uuid":"4",` + ts0 + `,"aux_id":9223372036854775808},` +
			`{"uuid":"5",` + ts0 + `,"aux_id":1.5},` +
			`{"uuid":"6",` + ts0 + `,"aux_id":1e3},` +
			`{"uuid":"7",` + ts0 + `,"aux_id":-0},` +
			`{"uuid":"8",` + ts0 + `,"aux_id":0},` +
			`{"uuid":"9",` + ts0 + `,"aux_id":123456789012345678},` +
			`{"uuid":"10",` + ts0 + `,"aux_id":1E400,"extra":[-1E400,5e-400,0.1,1.7976931348623157e308]}]}`,
		want: PageInfo{Items: 10}},
	{name: "audit-actor-fallbacks", kind: AuditEvent,
		input: `{"items":[` +
			`{"uuid":"1",` + ts0 + `,"actor_uuid":"ACTOR","actor_details":{"uuid":"DETAILS","name":"N","email":"e@x.io"}},` +
			`{"uuid":"2",` + ts0 + `,"actor_uuid":"ACTOR","actor_details":{"name":"N","email":"e@x.io"}},` +
			`{"uuid":"3",` + ts0 + `,"actor_uuid":"ACTOR","actor_details":{"uuid":"","name":""}},` +
			`{"uuid":"4",` + ts0 + `,"actor_details":{"uuid":"DETAILS","user_type":"external_user","user_account_uuid":"ACC2"},"actor_type":"external_user","actor_account_uuid":"ACC2","account_uuid":"ACC1"}]}`,
		want: PageInfo{Items: 4}},
	{name: "audit-severity-actions", kind: AuditEvent,
		input: `{"items":[` +
			`{"uuid":"1",` + ts0 + `,"action":"disblmfa","object_type":"account"},` +
			`{"uuid":"2",` + ts0 + `,"action":"disblsso","object_type":"sso"},` +
			`{"uuid":"3",` + ts0 + `,"action":"disblduo","object_type":"account"},` +
			`{"uuid":"4",` + ts0 + `,"action":"updatfw","object_type":"account"},` +
			`{"uuid":"5",` + ts0 + `,"action":"export","object_type":"vault","object_uuid":"v"},` +
			`{"uuid":"6",` + ts0 + `,"action":"enblmfa","object_type":"user"},` +
			`{"uuid":"7",` + ts0 + `,"action":"launchi","object_type":"mngdacc"},` +
			`{"uuid":"8",` + ts0 + `,"action":"brandnew","object_type":"brandnew"}]}`,
		want: PageInfo{Items: 8}},
	{name: "audit-full-v2", kind: AuditEvent, // every documented field, with a join/gm shape
		input: `{"items":[{"uuid":"56YE2TYN2VFYRLNSHKPW5NVT5E","timestamp":"2023-03-15T16:33:50.123456789-03:00","actor_uuid":"4HCGRGYCTRQFBMGVEGTABYDU2V",` +
			`"actor_details":{"uuid":"4HCGRGYCTRQFBMGVEGTABYDU2V","name":"Jeff Shiner","email":"jeff@example.com","user_type":"user","user_account_uuid":"ACCA"},` +
			`"action":"join","object_type":"gm","object_uuid":"pf8soyakgngrphytsyjed4ae3u",` +
			`"object_details":{"uuid":"OBJU","name":"Object User","email":"obj@example.com"},` +
			`"aux_id":9277034,"aux_uuid":"K6VFYDCJKHGGDI7QFAXX65LCDY","aux_details":{"uuid":"K6VFYDCJKHGGDI7QFAXX65LCDY","name":"Wendy Appleseed","email":"wendy@example.com"},"aux_info":"A",` +
			`"session":{"uuid":"A5K6COGVRVEJXJW3XQZGS7VAMM","login_time":"2023-03-15T16:33:50-03:00","device_uuid":"lc5fqgbrcm4plajd8mwncv2b3u","ip":"192.0.2.254"},` +
			`"location":{"country":"ca","region":"Ontario","city":"Toronto","latitude":43.5991,"longitude":-79.4988},` +
			`"actor_type":"user","actor_account_uuid":"ACCA","account_uuid":"ACCB"}]}`,
		want: PageInfo{Items: 1}},

	// ---- any stream ----
	{name: "unicode-and-escapes", kind: SigninAttempt,
		input: `{"items":[{"\u0075uid":"ESC","timestamp":"2026-11-02T08:00:00\u005a","category":"success",` +
			`"target_user":{"name":"Zoë Ünïcødé 東京 \ud83d\ude00","email":"quote\"back\\slash\/solidus@x.io","uuid":"\u0041\u00e9\u20ac"},` +
			`"client":{"app_name":"tab\tnew\nline\rcr\bbs\fff","os_name":"lone \ud800 high, lone \udc00 low, pair-break \ud83d\u0041","ip_address":"192.0.2.1"},` +
			`"location":{"city":"Montr\u00E9al","country":"\u0063\u0061"},` +
			`"free_text":"\u0000\u001f control escapes","emoji_raw":"😀"}]}`,
		want: PageInfo{Items: 1}},
	{name: "invalid-utf8-replaced", kind: ItemUsage, // as encoding/json does: each bad byte becomes U+FFFD
		input: "{\"items\":[{\"uuid\":\"U\xff1\"," + ts0 + ",\"action\":\"fi\xc3ll\",\"bad\xfekey\":\"x\xed\xa0\x80y\"}]}",
		want:  PageInfo{Items: 1}},
	{name: "empty-strings", kind: SigninAttempt, // empty in the body, absent as attributes
		input: `{"cursor":"","items":[{"uuid":"","session_uuid":"","timestamp":"","category":"","type":"","country":"","details":{"value":""},` +
			`"target_user":{"uuid":"","name":"","email":"","user_type":"","user_account_uuid":""},` +
			`"client":{"app_name":"","app_version":"","platform_name":"","platform_version":"","os_name":"","os_version":"","ip_address":""},` +
			`"location":{"country":"","region":"","city":""},"account_uuid":""}]}`,
		want: PageInfo{HasCursor: true, Items: 1, MissingUUID: 1, MissingTimestamp: 1}},
	{name: "unknown-future-fields", kind: SigninAttempt,
		input: `{"items":[{"uuid":"F",` + ts0 + `,"category":"success","risk_score":0.73,"risk":{"level":"low","signals":["new_device",null,3,true,{"k":[[]]}]},` +
			`"client":{"app_name":"1Password for Mac","browser_engine":"Blink","hints":{"ip_address":"not.captured"}},` +
			`"target_user":{"uuid":"U","groups":["a","b"],"details":{"email":"not.captured@x.io"}},"flags":[],"meta":{},"nothing":null}]}`,
		want: PageInfo{Items: 1}},
	{name: "duplicate-keys-last-wins", kind: SigninAttempt,
		input: `{"items":[{"uuid":"first","uuid":"second",` + ts0 + `,"category":"credentials_failed","category":"success",` +
			`"client":{"ip_address":"192.0.2.1","app_name":"A"},"client":"gone",` +
			`"location":"x","location":{"city":"Toronto"},` +
			`"target_user":{"uuid":"U1","uuid":7,"email":"e@x.io"},"type":"mfa_ok","type":null}]}`,
		want: PageInfo{Items: 1}},
	{name: "nested-depth", kind: AuditEvent,
		input: `{"items":[{"uuid":"D",` + ts0 + `,"a":{"b":{"c":{"d":{"e":[[[[{"f":[{"g":null}]}]]]]}}}},"session":{"nested":{"ip":"not.captured"}}}]}`,
		want:  PageInfo{Items: 1}},
}

func TestEdgeCasesGolden(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range edgeCases {
		require.False(t, seen[tc.name], "duplicate edge case name %s", tc.name)
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			logs, info, err := decode([]byte(tc.input), tc.kind, tc.items)
			require.NoError(t, err)
			items := refItems(t, []byte(tc.input), tc.items)
			checkReference(t, tc.kind, items, records(logs))

			want := tc.want
			for _, raw := range items {
				ref, err := refDecode(raw)
				require.NoError(t, err)
				if ts, ok := refTimestamp(ref); ok && ts > want.Newest {
					want.Newest = ts
				}
			}
			assert.Equal(t, want, info)
			compareGolden(t, goldenPath("edge", tc.name), logs)
		})
	}
}

// TestEdgeCaseValues pins the outcomes the edge cases exist for.
func TestEdgeCaseValues(t *testing.T) {
	get := func(name string) edgeCase {
		for _, tc := range edgeCases {
			if tc.name == name {
				return tc
			}
		}
		t.Fatalf("no edge case %s", name)
		return edgeCase{}
	}
	attr := func(name string, item int, key string) any {
		tc := get(name)
		logs, _, err := decode([]byte(tc.input), tc.kind, tc.items)
		require.NoError(t, err)
		v, ok := records(logs).At(item).Attributes().Get(key)
		if !ok {
			return nil
		}
		return v.AsRaw()
	}
	rec := func(name string, item int) (pcommon.Timestamp, string) {
		tc := get(name)
		logs, _, err := decode([]byte(tc.input), tc.kind, tc.items)
		require.NoError(t, err)
		r := records(logs).At(item)
		return r.Timestamp(), r.SeverityNumber().String()
	}

	// Timestamps to the nanosecond.
	for i, want := range []int64{
		1733140461000000000, 1733140461100000000, 1733140461123000000, 1733140461123456000,
		1733140461123456700, 1733140461246459830, 1733140461123456789,
		1591903970000000000, 1591873370500000000, 1591893170000000000, 1709251199999999999, 0,
	} {
		ts, _ := rec("audit-timestamps", i)
		assert.Equal(t, pcommon.Timestamp(want), ts, "audit-timestamps item %d", i)
	}
	// aux_id: exact above 2^53, attribute only for integers.
	assert.Equal(t, int64(9007199254740993), attr("audit-aux-id-numbers", 0, "onepassword.audit.aux.id"))
	assert.Equal(t, int64(-9223372036854775808), attr("audit-aux-id-numbers", 2, "onepassword.audit.aux.id"))
	assert.Nil(t, attr("audit-aux-id-numbers", 3, "onepassword.audit.aux.id"))
	assert.Nil(t, attr("audit-aux-id-numbers", 4, "onepassword.audit.aux.id"))
	assert.Equal(t, int64(0), attr("audit-aux-id-numbers", 6, "onepassword.audit.aux.id"))
	// ISO codes.
	for i, want := range []any{"CA", "CA", "AR", nil, "US", nil, nil, "CA"} {
		assert.Equal(t, want, attr("signin-country-codes", i, "geo.country.iso_code"), "signin-country-codes item %d", i)
	}
	// Sign-in severity and error.type.
	for i, want := range []struct {
		sev string
		err any
	}{{"Info", nil}, {"Info", nil}, {"Warn", "credentials_failed"}, {"Warn", "mfa_failed"}, {"Warn", "sso_failed"},
		{"Warn", "modern_version_failed"}, {"Warn", "firewall_failed"}, {"Warn", "passkey_failed"}, {"Warn", nil},
		{"Warn", nil}, {"Warn", nil}, {"Warn", "Success"}} {
		_, sev := rec("signin-categories", i)
		assert.Equal(t, want.sev, sev, "signin-categories item %d", i)
		assert.Equal(t, want.err, attr("signin-categories", i, "error.type"), "signin-categories item %d", i)
	}
	// Audit and item-usage severity.
	for i, want := range []string{"Warn", "Warn", "Warn", "Warn", "Warn", "Info", "Info", "Info"} {
		_, sev := rec("audit-severity-actions", i)
		assert.Equal(t, want, sev, "audit-severity-actions item %d", i)
	}
	for i, want := range []string{"Info", "Warn", "Info", "Info", "Info"} {
		_, sev := rec("usage-actions", i)
		assert.Equal(t, want, sev, "usage-actions item %d", i)
	}
	// Fallbacks and last-wins.
	assert.Equal(t, "DETAILS", attr("audit-actor-fallbacks", 0, "user.id"))
	assert.Equal(t, "ACTOR", attr("audit-actor-fallbacks", 1, "user.id"))
	assert.Equal(t, "ACTOR", attr("audit-actor-fallbacks", 2, "user.id"))
	assert.Equal(t, "external_user", attr("signin-v2-target-user-type-key", 0, "onepassword.user.type"))
	assert.Equal(t, "user", attr("signin-v2-user-type-wins-over-type", 0, "onepassword.user.type"))
	assert.Equal(t, "second", attr("duplicate-keys-last-wins", 0, "log.record.uid"))
	assert.Nil(t, attr("duplicate-keys-last-wins", 0, "client.address"))
	assert.Nil(t, attr("duplicate-keys-last-wins", 0, "user.id"))
	assert.Nil(t, attr("duplicate-keys-last-wins", 0, "error.type"))
	assert.Equal(t, "Toronto", attr("duplicate-keys-last-wins", 0, "geo.locality.name"))
	assert.Equal(t, "ESC", attr("unicode-and-escapes", 0, "log.record.uid"))
	assert.Equal(t, "Zoë Ünïcødé 東京 😀", attr("unicode-and-escapes", 0, "user.full_name"))
	assert.Equal(t, "Aé€", attr("unicode-and-escapes", 0, "user.id"))
	assert.Equal(t, "lone \uFFFD high, lone \uFFFD low, pair-break \uFFFDA", attr("unicode-and-escapes", 0, "user_agent.os.name"))
	assert.Equal(t, "CA", attr("unicode-and-escapes", 0, "geo.country.iso_code"))
	assert.Equal(t, 43.0, attr("usage-wrong-types", 1, "geo.location.lat"))
	assert.Nil(t, attr("usage-wrong-types", 1, "onepassword.item.used_version"))
	assert.Nil(t, attr("unknown-future-fields", 0, "client.address"))
}
