package convert

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestDecodeObject(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]any
	}{
		{
			name: "user",
			in:   `{"id":"IR7VJHJ36JHINBFAD7V2T5MP3E","email":"wendy@example.com","display_name":"Wendy","state":"ACTIVE","create_time":"2024-01-15T10:30:00Z"}`,
			want: map[string]any{"id": "IR7VJHJ36JHINBFAD7V2T5MP3E", "email": "wendy@example.com", "display_name": "Wendy", "state": "ACTIVE", "create_time": "2024-01-15T10:30:00Z"},
		},
		{name: "empty", in: ` {} `, want: map[string]any{}},
		{
			name: "numbers",
			in:   `{"big":9007199254740993,"neg":-5,"max":9223372036854775807,"over":9223372036854775808,"frac":1.5,"exp":1e2}`,
			want: map[string]any{"big": int64(9007199254740993), "neg": int64(-5), "max": int64(9223372036854775807), "over": 9223372036854775808.0, "frac": 1.5, "exp": 100.0},
		},
		{
			name: "null kept, nested",
			in:   `{"a":null,"b":[1,null,"x",{"c":true}],"d":{"e":false,"f":[]}}`,
			want: map[string]any{"a": nil, "b": []any{int64(1), nil, "x", map[string]any{"c": true}}, "d": map[string]any{"e": false, "f": []any{}}},
		},
		{name: "escapes", in: `{"n\u00e9":"a\"b\\c\n"}`, want: map[string]any{"né": "a\"b\\c\n"}},
		{name: "repeated key: last wins", in: `{"a":1,"a":2}`, want: map[string]any{"a": int64(2)}},
		{name: "known event keys are plain keys here", in: `{"uuid":"u","timestamp":"t","user":{"email":"e"}}`, want: map[string]any{"uuid": "u", "timestamp": "t", "user": map[string]any{"email": "e"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := pcommon.NewMap()
			dst.PutStr("stale", "cleared first")
			require.NoError(t, DecodeObject([]byte(tt.in), dst))
			assert.Equal(t, tt.want, dst.AsRaw())
		})
	}
}

func TestDecodeObjectKeepsKeyOrder(t *testing.T) {
	dst := pcommon.NewMap()
	require.NoError(t, DecodeObject([]byte(`{"z":1,"a":2,"m":3}`), dst))
	var keys []string
	for k := range dst.All() {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{"z", "a", "m"}, keys)
}

func TestDecodeObjectInvalid(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"empty input", ``, "offset 0: unexpected end of input"},
		{"array", `[1]`, "offset 0: expected '{' (a JSON object), found '['"},
		{"string", `"secret-value"`, "offset 0: expected '{'"},
		{"truncated", `{"a":"b"`, "offset 8: "},
		{"trailing", `{"a":1} x`, "offset 8: unexpected 'x' after the end"},
		{"bad literal", `{"a":nul}`, "invalid literal"},
		{"bad number", `{"a":01}`, "expected ',' or '}'"},
		{"unquoted key", `{a:1}`, "expected a string key"},
		{"control char", "{\"a\":\"x\ty\"}", "control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := DecodeObject([]byte(tt.in), pcommon.NewMap())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), "secret-value")
			assert.Error(t, json.Unmarshal([]byte(tt.in), new(map[string]any)), "encoding/json accepts it too")
		})
	}
}

// TestDecodeObjectMatchesEncodingJSON compares with encoding/json on objects
// built from the fixture items, so that every value shape the APIs send is covered.
func TestDecodeObjectMatchesEncodingJSON(t *testing.T) {
	var objects [][]byte
	for _, fx := range loadFixtures(t) {
		var envelope struct {
			Items []json.RawMessage `json:"items"`
		}
		if fx.items {
			require.NoError(t, json.Unmarshal(fx.body, &envelope.Items), fx.path)
		} else {
			require.NoError(t, json.Unmarshal(fx.body, &envelope), fx.path)
		}
		for _, item := range envelope.Items {
			if bytes.HasPrefix(bytes.TrimSpace(item), []byte("{")) {
				objects = append(objects, item)
			}
		}
	}
	require.NotEmpty(t, objects)
	for i, raw := range objects {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			dst := pcommon.NewMap()
			require.NoError(t, DecodeObject(raw, dst))
			assert.Equal(t, referenceDecode(t, raw), dst.AsRaw())
		})
	}
}

// referenceDecode decodes raw with encoding/json and applies the number rule.
func referenceDecode(t *testing.T, raw []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v map[string]any
	require.NoError(t, dec.Decode(&v))
	return normalizeNumbers(v).(map[string]any)
}

func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
	case json.Number:
		if !strings.ContainsAny(x.String(), ".eE") {
			if n, err := x.Int64(); err == nil {
				return n
			}
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

// BenchmarkDecodeObject decodes one Users API user object.
//
//	go test -run='^$' -bench=BenchmarkDecodeObject -benchmem ./internal/convert
func BenchmarkDecodeObject(b *testing.B) {
	raw := []byte(`{"id":"IR7VJHJ36JHINBFAD7V2T5MP3E","email":"wendy_appleseed@agilebits.com","display_name":"Wendy Appleseed","state":"ACTIVE","create_time":"2024-01-15T10:30:00Z","path":"accounts/ACCOUNT123/users/IR7VJHJ36JHINBFAD7V2T5MP3E"}`)
	dst := pcommon.NewMap()
	b.ReportAllocs()
	for b.Loop() {
		if err := DecodeObject(raw, dst); err != nil {
			b.Fatal(err)
		}
	}
}
