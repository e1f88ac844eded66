package usersapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitPage(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantUsers []string
		wantNext  string
		wantErr   string
	}{
		{"documented shape", `{"results":[{"id":"A","state":"ACTIVE"},{"id":"B"}],"next_page_token":"CAIQAg"}`, []string{`{"id":"A","state":"ACTIVE"}`, `{"id":"B"}`}, "CAIQAg", ""},
		{"keys in any order, whitespace", " {\n \"next_page_token\" : \"x\" ,\t\"results\" : [ {\"id\":\"A\"} , {} ] } ", []string{`{"id":"A"}`, `{}`}, "x", ""},
		{"no token: last page", `{"results":[{"id":"A"}]}`, []string{`{"id":"A"}`}, "", ""},
		{"empty token", `{"results":[],"next_page_token":""}`, nil, "", ""},
		{"null token and results", `{"results":null,"next_page_token":null}`, nil, "", ""},
		{"empty object", `{}`, nil, "", ""},
		{"unknown keys skipped", `{"total":{"a":[1,{"b":"]}"}]},"results":[{"id":"A"}],"x":[],"y":"}"}`, []string{`{"id":"A"}`}, "", ""},
		{"nested values inside users", `{"results":[{"id":"A","groups":[{"n":"}{"}],"s":"a\"]b"}]}`, []string{`{"id":"A","groups":[{"n":"}{"}],"s":"a\"]b"}`}, "", ""},
		{"escaped token", `{"results":[],"next_page_token":"a\/b\u003d"}`, nil, "a/b=", ""},
		{"escaped key", `{"result\u0073":[{"id":"A"}]}`, []string{`{"id":"A"}`}, "", ""},
		{"repeated results: last wins", `{"results":[{"id":"A"}],"results":[{"id":"B"}]}`, []string{`{"id":"B"}`}, "", ""},
		{"invalid JSON", `{"results":[{"id":"A"},]}`, nil, "", "not valid JSON"},
		{"truncated", `{"results":[{"id":"A"}`, nil, "", "not valid JSON"},
		{"not an object", `[{"id":"A"}]`, nil, "", "not a JSON object"},
		{"results not an array", `{"results":{"id":"A"}}`, nil, "", `"results" is not an array`},
		{"user not an object", `{"results":[{"id":"A"},"B"]}`, nil, "", `"results" element 1 is not an object`},
		{"token not a string", `{"results":[],"next_page_token":5}`, nil, "", `"next_page_token" is not a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			users, next, err := splitPage([]byte(tt.body), make([][]byte, 3))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.NotContains(t, err.Error(), `"id"`, "errors hold no part of the body")
				return
			}
			require.NoError(t, err)
			var got []string
			for _, u := range users {
				got = append(got, string(u))
			}
			assert.Equal(t, tt.wantUsers, got)
			assert.Equal(t, tt.wantNext, next)
		})
	}
}

func TestSplitPageUsersAreCapped(t *testing.T) {
	body := []byte(`{"results":[{"id":"A"},{"id":"B"}]}`)
	users, _, err := splitPage(body, nil)
	require.NoError(t, err)
	users[0] = append(users[0], 'X') // must not overwrite the next user
	assert.Equal(t, `{"id":"B"}`, string(users[1]))
}

func FuzzSplitPage(f *testing.F) {
	f.Add([]byte(`{"results":[{"id":"A"}],"next_page_token":"CAIQAg"}`))
	f.Add([]byte(`{"results":[{"a":[1,"]",{"b":null}]}],"x":"\\\""}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		users, _, err := splitPage(body, nil)
		if err != nil {
			return
		}
		for _, u := range users {
			require.Equal(t, byte('{'), u[0])
			require.Equal(t, byte('}'), u[len(u)-1])
		}
	})
}
