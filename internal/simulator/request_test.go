package simulator

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestBodies(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.AddEvents("", StreamSignInAttempts, 150, GenOptions{}))
	valid := h.fetch("/api/v2/signinattempts", `{"limit":10}`).cursor()

	tests := []struct {
		name      string
		body      string
		wantCode  int
		wantItems int // checked for 200
	}{
		{"empty object is a reset with defaults", `{}`, 200, 100},
		{"limit only", `{"limit":1000}`, 200, 150},
		{"limit 1", `{"limit":1}`, 200, 1},
		{"limit as integral float", `{"limit":20.0}`, 200, 20},
		{"null limit means default", `{"limit":null}`, 200, 100},
		{"unknown keys are ignored", `{"limit":5,"foo":"bar"}`, 200, 5},
		{"start with offset and micros", `{"start_time":"` + testEpoch.Add(-30*time.Minute).In(time.FixedZone("", 2*3600)).Format("2006-01-02T15:04:05.000000-07:00") + `"}`, 200, -1},
		{"cursor", cursorBody(valid), 200, 10},
		{"whitespace around JSON", "  \n" + `{"limit":3}` + "\n", 200, 3},

		{"limit 0", `{"limit":0}`, 400, 0},
		{"limit negative", `{"limit":-5}`, 400, 0},
		{"limit 1001", `{"limit":1001}`, 400, 0},
		{"limit fractional", `{"limit":1.5}`, 400, 0},
		{"limit as string", `{"limit":"10"}`, 400, 0},
		{"empty body", ``, 400, 0},
		{"not JSON", `limit=10`, 400, 0},
		{"truncated JSON", `{"limit":10`, 400, 0},
		{"array", `[{"limit":10}]`, 400, 0},
		{"null", `null`, 400, 0},
		{"cursor with limit", `{"cursor":"` + valid + `","limit":10}`, 400, 0},
		{"cursor with start_time", `{"cursor":"` + valid + `","start_time":"2026-11-20T00:00:00Z"}`, 400, 0},
		{"empty cursor", `{"cursor":""}`, 400, 0},
		{"null cursor", `{"cursor":null}`, 400, 0},
		{"numeric cursor", `{"cursor":42}`, 400, 0},
		{"garbage cursor", `{"cursor":"garbage"}`, 400, 0},
		{"bad start_time", `{"start_time":"yesterday"}`, 400, 0},
		{"start_time without zone", `{"start_time":"2026-11-20T10:00:00"}`, 400, 0},
		{"end before start", `{"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T09:00:00Z"}`, 400, 0},
		{"end equals start", `{"start_time":"2026-11-20T10:00:00Z","end_time":"2026-11-20T10:00:00Z"}`, 400, 0},
		{"oversized body", `{"limit":10,"pad":"` + strings.Repeat("x", maxBodyBytes) + `"}`, 400, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.post("/api/v2/signinattempts", tc.body)
			require.Equal(t, tc.wantCode, r.status, "body: %s", r.body)
			assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
			if tc.wantCode == http.StatusBadRequest {
				assert.Equal(t, errBadRequestBody, string(r.body))
				return
			}
			if tc.wantItems >= 0 {
				p := h.fetch("/api/v2/signinattempts", tc.body)
				assert.Len(t, p.Items, tc.wantItems)
			}
		})
	}
}

func TestNoContentTypeRequired(t *testing.T) {
	h := newHarness(t, Config{})
	for _, ct := range []string{"", "application/json", "text/plain"} {
		req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/api/v1/auditevents", strings.NewReader(`{}`))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+h.token)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := h.srv.Client().Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, "content type %q", ct)
	}
}

func TestDocumentedErrorShape(t *testing.T) {
	h := newHarness(t, Config{ErrorShape: ErrorShapeDocumented})
	r := h.post("/api/v2/itemusages", `{"limit":0}`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.JSONEq(t, `{"status":400,"message":"Bad Request"}`, string(r.body))
	r = h.do(http.MethodPost, "/api/v2/itemusages", "nope", `{}`)
	assert.JSONEq(t, `{"status":401,"message":"Unauthorized"}`, string(r.body))

	h.sim.SetErrorShape(ErrorShapeObserved)
	r = h.post("/api/v2/itemusages", `{"limit":0}`)
	assert.Equal(t, errBadRequestBody, string(r.body))
}
