package roster

import (
	"errors"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
)

// go test ./internal/roster -update rewrites the golden files; golden.WriteLogs
// then fails on purpose: run again without -update and review the diff.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

var completedAt = time.Date(2026, 11, 26, 12, 5, 0, 0, time.UTC)

func testBuilder(chunk int) Builder {
	return Builder{
		AccountID:    "SIMACCOUNTAAAAAAAAAAAAAAAA",
		ScopeName:    "github.com/onepassword-otel/onepasswordreceiver",
		ScopeVersion: "test",
		SchemaURL:    convert.SchemaURL,
		ChunkSize:    chunk,
	}
}

// collect gathers what a Builder emits into one plog.Logs (chunks kept as
// separate ResourceLogs) and counts the chunks.
func collect(t *testing.T, run func(emit func(plog.Logs) error) error) (plog.Logs, []int) {
	t.Helper()
	all := plog.NewLogs()
	var sizes []int
	require.NoError(t, run(func(ld plog.Logs) error {
		require.Equal(t, 1, ld.ResourceLogs().Len())
		require.Equal(t, 1, ld.ResourceLogs().At(0).ScopeLogs().Len())
		sizes = append(sizes, ld.LogRecordCount())
		ld.ResourceLogs().MoveAndAppendTo(all.ResourceLogs())
		return nil
	}))
	return all, sizes
}

func checkGolden(t *testing.T, name string, logs plog.Logs) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, golden.WriteLogs(t, path, logs))
	}
	want, err := golden.ReadLogs(path)
	require.NoError(t, err, "missing golden file? run go test ./internal/roster -update")
	require.NoError(t, plogtest.CompareLogs(want, logs))
}

// goldenChanges is one pass with every change kind.
func goldenChanges(t *testing.T) []Change {
	prev := rosterOf(t, 4, []User{
		u(t, ann), u(t, bob), u(t, cat),
		u(t, `{"id":"D","email":"dan@example.com","display_name":"Dan","state":"ACTIVE","path":"accounts/X/users/D"}`),
		u(t, `{"id":"E","email":"","display_name":"Eve","state":"STATE_UNSPECIFIED"}`),
		u(t, `{"id":"G","email":"gone@example.com","display_name":"Gone","state":"SUSPENDED","create_time":"2024-01-15T10:30:00Z"}`),
	}, "G")
	pass := []User{
		u(t, annSusp),   // suspended
		u(t, bobActive), // reactivated
		u(t, `{"id":"C","email":"cat@example.com","display_name":"Cat","state":"STATE_UNSPECIFIED"}`),                             // state_changed
		u(t, `{"id":"D","email":"dan@new.example.com","display_name":"Dan","state":"SUSPENDED","future":{"n":9007199254740993}}`), // suspended + updated
		u(t, `{"id":"E","email":"","display_name":"Eve","state":"STATE_UNSPECIFIED"}`),                                            // unchanged
		u(t, `{"id":"F","email":"fay@example.com","display_name":"","state":"ACTIVE","note":null}`),                               // added
	}
	changes, _ := Compare(prev, pass)
	return changes
}

func TestGoldenChanges(t *testing.T) {
	changes := goldenChanges(t)
	logs, sizes := collect(t, func(emit func(plog.Logs) error) error {
		return testBuilder(1000).EmitChanges(5, completedAt, changes, emit)
	})
	assert.Equal(t, []int{7}, sizes)
	checkGolden(t, "changes.yaml", logs)
}

func TestGoldenInventory(t *testing.T) {
	r := rosterOf(t, 5, []User{
		u(t, ann), u(t, bob),
		u(t, `{"id":"E","email":"","display_name":"Eve","state":"STATE_UNSPECIFIED","n":[1,2.5,null,{"deep":true}]}`),
		u(t, `{"id":"P","email":"pending@example.com","state":"ACTIVE"}`),
	}, "P")
	logs, sizes := collect(t, func(emit func(plog.Logs) error) error {
		return testBuilder(1000).EmitInventory(5, completedAt, r, emit)
	})
	assert.Equal(t, []int{3}, sizes, "the pending user is not in the inventory")
	checkGolden(t, "inventory.yaml", logs)
}

func TestChunking(t *testing.T) {
	var users []User
	for _, id := range []string{"A", "B", "C", "D", "E", "F", "G"} {
		users = append(users, u(t, `{"id":"`+id+`","state":"ACTIVE"}`))
	}
	r := rosterOf(t, 1, users)
	tests := []struct {
		chunk int
		want  []int
	}{
		{1, []int{1, 1, 1, 1, 1, 1, 1}},
		{3, []int{3, 3, 1}},
		{7, []int{7}},
		{1000, []int{7}},
		{0, []int{1, 1, 1, 1, 1, 1, 1}}, // at least 1
	}
	for _, tt := range tests {
		_, sizes := collect(t, func(emit func(plog.Logs) error) error {
			return testBuilder(tt.chunk).EmitInventory(1, completedAt, r, emit)
		})
		assert.Equal(t, tt.want, sizes, "chunk %d", tt.chunk)
	}
	_, sizes := collect(t, func(emit func(plog.Logs) error) error {
		return testBuilder(10).EmitChanges(1, completedAt, nil, emit)
	})
	assert.Empty(t, sizes, "no changes, no empty chunk")
}

func TestEmitStopsAtFirstError(t *testing.T) {
	refused := errors.New("pipeline refused")
	calls := 0
	err := testBuilder(2).EmitChanges(1, completedAt, goldenChanges(t), func(plog.Logs) error {
		calls++
		return refused
	})
	require.ErrorIs(t, err, refused)
	assert.Equal(t, 1, calls)
}

func TestUIDsAreStable(t *testing.T) {
	uids := func(pass uint64, account string) []string {
		b := testBuilder(1000)
		b.AccountID = account
		logs, _ := collect(t, func(emit func(plog.Logs) error) error {
			return b.EmitChanges(pass, completedAt.Add(time.Duration(pass)*time.Hour), goldenChanges(t), emit)
		})
		var out []string
		recs := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
		for i := range recs.Len() {
			v, ok := recs.At(i).Attributes().Get(convert.AttrRecordUID)
			require.True(t, ok)
			out = append(out, v.Str())
		}
		return out
	}
	first := uids(5, "ACC")
	assert.Equal(t, first, uids(5, "ACC"), "a re-delivered pass repeats its uids")
	seen := map[string]bool{}
	for _, id := range first {
		assert.Len(t, id, 32)
		assert.False(t, seen[id], "two changes of one user (D) have different uids")
		seen[id] = true
	}
	for _, other := range [][]string{uids(6, "ACC"), uids(5, "OTHER")} {
		for _, id := range other {
			assert.False(t, seen[id], "another pass or account gives other uids")
		}
	}
	assert.NotEqual(t, uid("A", 1, "U", "inventory"), uid("A", 1, "U", "added"))
	assert.NotEqual(t, uid("AB", 1, "U", "x"), uid("A", 1, "BU", "x"), "parts are length-prefixed")
}
