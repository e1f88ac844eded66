package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock drives the limiter without sleeping.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestLimiterSlidingWindow(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(Window{Length: time.Minute, Limit: 3}, Window{Length: time.Hour, Limit: 5})
	l.now = clock.now
	start := clock.t

	var slots []time.Time
	for range 7 {
		slots = append(slots, l.Reserve())
		clock.t = clock.t.Add(time.Second)
	}
	// Three fit at once; the fourth waits until the first leaves the minute
	// window (plus the guard); the sixth hits the hourly limit of five.
	assert.Equal(t, start, slots[0])
	assert.Equal(t, start.Add(time.Second), slots[1])
	assert.Equal(t, start.Add(2*time.Second), slots[2])
	assert.Equal(t, start.Add(time.Minute+RateGuard), slots[3])
	assert.Equal(t, start.Add(time.Second+time.Minute+RateGuard), slots[4])
	assert.Equal(t, start.Add(time.Hour+RateGuard), slots[5])
	assert.Equal(t, start.Add(time.Second+time.Hour+RateGuard), slots[6])

	// No window of either length ever holds more than its limit.
	for _, w := range []Window{{time.Minute, 3}, {time.Hour, 5}} {
		for i := range slots {
			n := 0
			for j := i; j < len(slots) && slots[j].Sub(slots[i]) < w.Length; j++ {
				n++
			}
			assert.LessOrEqual(t, n, w.Limit, "window %s starting at slot %d", w.Length, i)
		}
	}
}

func TestLimiterPauseAppliesToEveryone(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(Window{Length: time.Minute, Limit: 600})
	l.now = clock.now
	l.Pause(clock.t.Add(90 * time.Second))
	assert.Equal(t, clock.t.Add(90*time.Second), l.Reserve())
	// A shorter pause never shortens a longer one.
	l.Pause(clock.t.Add(time.Second))
	assert.Equal(t, clock.t.Add(90*time.Second), l.PausedUntil())
}

func TestLimiterDisabledWindows(t *testing.T) {
	l := NewLimiter(Window{Length: time.Minute, Limit: 0}, Window{Length: time.Hour, Limit: 0})
	for range 10000 {
		waited, err := l.Wait(context.Background())
		require.NoError(t, err)
		require.False(t, waited)
	}
}

func TestLimiterWaitHonoursContext(t *testing.T) {
	l := NewLimiter(Window{Length: time.Hour, Limit: 1})
	_, err := l.Wait(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	waited, err := l.Wait(ctx)
	assert.True(t, waited)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{"0", 0, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"-3", 0, true},
		{"Thu, 26 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Thu, 26 Nov 2026 11:00:00 GMT", 0, true},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		assert.Equal(t, tt.wantOK, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}
