package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"time"
)

// pageRequest is a parsed POST body: either a continuing cursor or a reset.
type pageRequest struct {
	cursor   string // non-empty for a continuing request
	limit    int
	start    time.Time
	end      time.Time
	hasStart bool
	hasEnd   bool
}

const maxBodyBytes = 64 << 10

var errBadRequest = errors.New("simulator: bad request")

// parsePageRequest implements the body rules of events-api.md §3.2: exactly
// one of Cursor or ResetCursor; {} is a valid reset; limit 1..1000; RFC 3339
// times with any offset. Mixing cursor and reset fields is rejected (the API
// schema is a oneOf; its behaviour is undocumented, §11.8). Unknown keys are
// ignored, as a tolerant JSON API does.
func parsePageRequest(r *http.Request) (pageRequest, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil || len(body) > maxBodyBytes {
		return pageRequest{}, errBadRequest
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return pageRequest{}, errBadRequest
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return pageRequest{}, errBadRequest
	}
	present := func(k string) bool {
		v, ok := fields[k]
		return ok && !bytes.Equal(v, []byte("null"))
	}
	_, hasCursorKey := fields["cursor"]
	reset := present("limit") || present("start_time") || present("end_time")

	if hasCursorKey {
		if reset {
			return pageRequest{}, errBadRequest
		}
		var c string
		if err := json.Unmarshal(fields["cursor"], &c); err != nil || c == "" {
			return pageRequest{}, errBadRequest
		}
		return pageRequest{cursor: c}, nil
	}

	req := pageRequest{limit: DefaultLimit}
	if present("limit") {
		var f float64
		if err := json.Unmarshal(fields["limit"], &f); err != nil || f != math.Trunc(f) || f < 1 || f > MaxLimit {
			return pageRequest{}, errBadRequest
		}
		req.limit = int(f)
	}
	for _, tf := range []struct {
		key string
		dst *time.Time
		has *bool
	}{{"start_time", &req.start, &req.hasStart}, {"end_time", &req.end, &req.hasEnd}} {
		if !present(tf.key) {
			continue
		}
		var s string
		if err := json.Unmarshal(fields[tf.key], &s); err != nil {
			return pageRequest{}, errBadRequest
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return pageRequest{}, errBadRequest
		}
		*tf.dst, *tf.has = t, true
	}
	if req.hasStart && req.hasEnd && !req.end.After(req.start) {
		return pageRequest{}, errBadRequest
	}
	return req, nil
}
