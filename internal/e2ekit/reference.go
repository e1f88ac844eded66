//go:build e2e

package e2ekit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"
)

// maxReferencePages stops a reference read whose cursor never ends.
const maxReferencePages = 1_000_000

// ReadStream drains one Events API endpoint (e.g. /api/v2/signinattempts)
// of api the way the API documents: a reset at start, then the cursor until
// has_more is false. It calls each for every item as served. Requests go
// to the handler directly, not over the network, so the read is an
// independent record of what a correct client receives; faults must be
// cleared first, since any answer but 200 ends the read with an error.
func ReadStream(api http.Handler, token, path string, start time.Time, each func(item json.RawMessage)) error {
	body, _ := json.Marshal(map[string]any{"limit": 1000, "start_time": start.UTC().Format(time.RFC3339Nano)})
	for range maxReferencePages {
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return fmt.Errorf("reference reader: %s answered %d: %s (clear faults before reading)", path, rec.Code, rec.Body.String())
		}
		var page struct {
			Cursor  string            `json:"cursor"`
			HasMore bool              `json:"has_more"`
			Items   []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			return fmt.Errorf("reference reader: %s: %w", path, err)
		}
		for _, it := range page.Items {
			each(it)
		}
		if !page.HasMore {
			return nil
		}
		body, _ = json.Marshal(map[string]string{"cursor": page.Cursor})
	}
	return fmt.Errorf("reference reader: %s never ended", path)
}
