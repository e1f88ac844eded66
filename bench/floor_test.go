//go:build e2e

package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// drainFloor is the least work any client must do to read every event: one
// goroutine per stream, a reset and then the cursor while has_more, each
// body read to the end and discarded. Only the few bytes in front of
// "items" are parsed (the simulator writes cursor and has_more first), so
// its speed is the simulator's and the loopback's, not a JSON decoder's.
// The receiver's events/s divided by this is the share of the achievable
// rate that it reaches.
func drainFloor(ctx context.Context, baseURL, token string, pageSize int, start time.Time) (requests int, err error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: len(simulator.Streams)}}
	defer client.CloseIdleConnections()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, stream := range simulator.Streams {
		wg.Go(func() {
			n, err := drainStreamFloor(ctx, client, baseURL+"/api/v2/"+stream, token, pageSize, start)
			mu.Lock()
			defer mu.Unlock()
			requests += n
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", stream, err))
			}
		})
	}
	wg.Wait()
	return requests, errors.Join(errs...)
}

func drainStreamFloor(ctx context.Context, client *http.Client, url, token string, pageSize int, start time.Time) (int, error) {
	body, _ := json.Marshal(map[string]any{"limit": pageSize, "start_time": start.UTC().Format(time.RFC3339)})
	for requests := 1; ; requests++ {
		head, err := postDiscard(ctx, client, url, token, body)
		if err != nil {
			return requests, err
		}
		if !head.HasMore {
			return requests, nil
		}
		body, _ = json.Marshal(map[string]string{"cursor": head.Cursor})
	}
}

type pageHead struct {
	Cursor  string `json:"cursor"`
	HasMore bool   `json:"has_more"`
}

func postDiscard(ctx context.Context, client *http.Client, url, token string, body []byte) (pageHead, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return pageHead{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return pageHead{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return pageHead{}, fmt.Errorf("status %d: %s", resp.StatusCode, msg)
	}
	br := bufio.NewReaderSize(resp.Body, 1024)
	// {"cursor":"...","has_more":true,"items":[  — the first '[' opens items
	prefix, err := br.ReadSlice('[')
	if err != nil {
		return pageHead{}, fmt.Errorf("reading the page head: %w", err)
	}
	// copy: appending to prefix would overwrite the reader's unread bytes
	head := append(append([]byte(nil), prefix...), "]}"...)
	var ph pageHead
	if err := json.Unmarshal(head, &ph); err != nil {
		return pageHead{}, fmt.Errorf("page head %q: %w", head, err)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return pageHead{}, err
	}
	return ph, nil
}
