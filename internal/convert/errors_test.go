package convert

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestTruncatedFixtures cuts every fixture at every byte offset: each prefix
// must be refused with an error, never accepted and never a panic.
func TestTruncatedFixtures(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		body := bytes.TrimRight(fx.body, " \t\r\n")
		for n := range len(body) {
			_, _, err := decode(body[:n], fx.kind, fx.items)
			if err == nil {
				t.Fatalf("%s cut at %d of %d: accepted", fx.path, n, len(body))
			}
			if !strings.Contains(err.Error(), "offset ") {
				t.Fatalf("%s cut at %d: error %q does not say where", fx.path, n, err)
			}
		}
		_, _, err := decode(body, fx.kind, fx.items)
		require.NoError(t, err, fx.path)
	}
}

func TestMalformedPages(t *testing.T) {
	deep := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	tests := []struct {
		name, input string
		wantErr     string // a part of the message
	}{
		{"empty", "", "offset 0: unexpected end of input"},
		{"whitespace", " \n", "offset 2: unexpected end of input"},
		{"garbage", "garbage", "offset 0: expected '{'"},
		{"html", "<html><body>502 Bad Gateway</body></html>", "offset 0: expected '{'"},
		{"array", `[{"uuid":"a"}]`, "offset 0: expected '{'"},
		{"null", `null`, "offset 0: expected '{'"},
		{"string", `"items"`, "offset 0: expected '{'"},
		{"bom", "\xef\xbb\xbf{}", "offset 0: expected '{'"},
		{"unclosed", `{`, "offset 1: unexpected end of input"},
		{"trailing object", `{}{}`, "offset 2: unexpected '{' after the end"},
		{"trailing garbage", `{"items":[]} x`, "offset 13: unexpected 'x'"},
		{"items object", `{"items":{}}`, `offset 9: "items" must be an array or null, found an object`},
		{"items string", `{"items":"[]"}`, `"items" must be an array or null, found a string`},
		{"items number", `{"items":1}`, `"items" must be an array or null, found a number`},
		{"items true", `{"items":true}`, `"items" must be an array or null, found a boolean`},
		{"has_more string", `{"has_more":"true"}`, `offset 12: "has_more" must be a boolean or null, found a string`},
		{"has_more number", `{"has_more":1}`, `"has_more" must be a boolean or null, found a number`},
		{"has_more array", `{"has_more":[]}`, `"has_more" must be a boolean or null, found an array`},
		{"has_more bad literal", `{"has_more":truth}`, "offset 15: invalid literal, expected true"},
		{"cursor number", `{"cursor":5}`, `offset 10: "cursor" must be a string or null, found a number`},
		{"cursor object", `{"cursor":{}}`, `"cursor" must be a string or null, found an object`},
		{"cursor bool", `{"cursor":false}`, `"cursor" must be a string or null, found a boolean`},
		{"item string", `{"items":["x"]}`, "offset 10 (item 0): an item must be an object, found a string"},
		{"item number", `{"items":[{},1]}`, "(item 1): an item must be an object, found a number"},
		{"item null", `{"items":[null]}`, "an item must be an object, found null"},
		{"item array", `{"items":[[]]}`, "an item must be an object, found an array"},
		{"trailing comma in items", `{"items":[{},]}`, "(item 1): an item must be an object, found ']'"},
		{"trailing comma in item", `{"items":[{"a":1,}]}`, "(item 0): expected a string key, found '}'"},
		{"unquoted key", `{"items":[{a:1}]}`, "expected a string key, found 'a'"},
		{"missing colon", `{"items":[{"a" 1}]}`, "expected ':', found '1'"},
		{"leading zero", `{"items":[{"a":01}]}`, "expected ',' or '}', found '1'"},
		{"bare fraction", `{"items":[{"a":1.}]}`, "expected a digit in number, found '}'"},
		{"bare minus", `{"items":[{"a":-}]}`, "invalid character '}' in number"},
		{"plus sign", `{"items":[{"a":+1}]}`, "invalid character '+' in number"},
		{"exponent without digits", `{"items":[{"a":1e+}]}`, "expected a digit in number"},
		{"NaN", `{"items":[{"a":NaN}]}`, "invalid character 'N' in number"},
		{"bad literal", `{"items":[{"a":tru}]}`, "invalid literal, expected true"},
		{"Null capitalised", `{"items":[{"a":Null}]}`, "invalid character 'N'"},
		{"control character", "{\"items\":[{\"a\":\"x\x01\"}]}", "control character byte 0x1 in string"},
		{"raw newline", "{\"items\":[{\"a\":\"x\ny\"}]}", "control character byte 0xa in string"},
		{"bad escape", `{"items":[{"a":"\q"}]}`, "invalid escape 'q' in string"},
		{"short unicode escape", `{"items":[{"a":"\u12"}]}`, "invalid \\u escape"},
		{"unclosed string", `{"items":[{"a":"abc`, "unexpected end of input in string"},
		{"unclosed array in item", `{"items":[{"a":[1,2}]}`, "expected ',' or ']', found '}'"},
		{"unclosed envelope", `{"items":[{}]`, "unexpected end of input, expected ',' or '}'"},
		{"single quotes", `{'items':[]}`, "expected a string key, found '''"},
		{"too deep in item", `{"items":[{"a":` + deep + `}]}`, "nesting deeper than 10000"},
		{"too deep in unknown key", `{"x":` + deep + `}`, "nesting deeper than 10000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, kind := range []Kind{AuditEvent, ItemUsage, SigninAttempt} {
				_, err := DecodePage([]byte(tc.input), kind, 1, plog.NewLogRecordSlice())
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				_, rerr := refDecodePage([]byte(tc.input))
				assert.Error(t, rerr, "encoding/json accepts it")
			}
		})
	}
}

func TestMalformedItemArrays(t *testing.T) {
	for _, input := range []string{``, `{}`, `[`, `[{}`, `[{},]`, `["x"]`, `[null]`, `[{}] []`, `nul`} {
		_, err := DecodeItems([]byte(input), AuditEvent, 1, plog.NewLogRecordSlice())
		assert.Error(t, err, "%q", input)
	}
	info, err := DecodeItems([]byte(` null `), AuditEvent, 1, plog.NewLogRecordSlice())
	assert.NoError(t, err)
	assert.Equal(t, PageInfo{}, info)
}

// TestErrorsDoNotLeakThePage: an error names an offset and at most one byte,
// never the content around it (pages hold names and e-mail addresses).
func TestErrorsDoNotLeakThePage(t *testing.T) {
	secret := "wendy.appleseed@example.com"
	inputs := []string{
		`{"items":[{"email":"` + secret + `" "oops"}]}`,
		`{"items":[{"email":"` + secret + `"}]`,
		`{"cursor":"` + secret + `","items":[` + "\x00" + `]}`,
		`{"items":[{"email":"` + secret + "\x01" + `"}]}`,
		`{"items":[{"email":"` + secret + `\x"}]}`,
	}
	for _, in := range inputs {
		_, err := DecodePage([]byte(in), SigninAttempt, 1, plog.NewLogRecordSlice())
		require.Error(t, err, in)
		assert.NotContains(t, err.Error(), "wendy", in)
		assert.Less(t, len(err.Error()), 140, err.Error())
	}
}

func TestUnknownKind(t *testing.T) {
	_, err := DecodePage([]byte(`{}`), Kind(3), 1, plog.NewLogRecordSlice())
	assert.Error(t, err)
	_, err = DecodeItems([]byte(`[]`), Kind(200), 1, plog.NewLogRecordSlice())
	assert.Error(t, err)
}

func TestKindNames(t *testing.T) {
	for kind, want := range map[Kind][2]string{
		AuditEvent:    {"onepassword.audit_event", "audit_events"},
		ItemUsage:     {"onepassword.item_usage", "item_usages"},
		SigninAttempt: {"onepassword.signin_attempt", "signin_attempts"},
	} {
		assert.Equal(t, want[0], kind.EventName())
		assert.Equal(t, want[1], kind.String())
	}
	assert.Equal(t, "unknown", Kind(9).String())
}
