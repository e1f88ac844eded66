package onepasswordreceiver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pipeline"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestConsumeContract runs the collector's executable receiver contract:
// under random retryable and permanent pipeline errors every generated event
// must end up accepted or dropped exactly once — retried, never duplicated,
// never lost. Events are generated into the bundled simulator while the
// receiver polls it.
func TestConsumeContract(t *testing.T) {
	gen := newSimGenerator(t)
	cfg := testConfig(gen.url)
	cfg.Token = configToken(gen.token)
	receivertest.CheckConsumeContract(receivertest.CheckConsumeContractParams{
		T:             t,
		Factory:       idTaggingFactory(),
		Signal:        pipeline.SignalLogs,
		Config:        cfg,
		Generator:     gen,
		GenerateCount: 200,
	})
}

// idTaggingFactory wraps the real factory: the contract checker tracks
// records by a test_id attribute, so the event uuid is copied into it on the
// way to the checker's consumer.
func idTaggingFactory() receiver.Factory {
	return receiver.NewFactory(metadata.Type, createDefaultConfig,
		receiver.WithLogs(func(ctx context.Context, set receiver.Settings, cfg component.Config, next consumer.Logs) (receiver.Logs, error) {
			return createLogsReceiver(ctx, set, cfg, idTagger{next})
		}, metadata.LogsStability))
}

type idTagger struct{ next consumer.Logs }

func (c idTagger) Capabilities() consumer.Capabilities {
	return consumer.Capabilities{MutatesData: true}
}

func (c idTagger) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for i := 0; i < lrs.Len(); i++ {
		attrs := lrs.At(i).Attributes()
		if uid, ok := attrs.Get(convert.AttrRecordUID); ok {
			attrs.PutStr(receivertest.UniqueIDAttrName, uid.Str())
		}
	}
	return c.next.ConsumeLogs(ctx, ld)
}

// simGenerator appends events to a simulator. After every scenario of the
// checker a fresh simulator replaces the old one behind the same URL and
// token, so the next scenario's receiver (state in memory), which starts
// polling before Start is called, does not see the previous events.
type simGenerator struct {
	url, token string
	sim        atomic.Pointer[simulator.Server]
	next       atomic.Int64
	mu         sync.Mutex
}

func newSimGenerator(t *testing.T) *simGenerator {
	g := &simGenerator{token: simulator.MakeToken(simulator.TokenClaims{AccountUUID: "CONTRACTACCOUNTAAAAAAAAAAA", Features: []string{"auditevents", "itemusages", "signinattempts"}})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.sim.Load().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	g.url = srv.URL
	g.Stop()
	t.Cleanup(func() { g.sim.Load().Close() })
	return g
}

func (g *simGenerator) Start() {}

func (g *simGenerator) Stop() {
	sim := simulator.New(simulator.Config{Accounts: []simulator.AccountConfig{{UUID: "CONTRACTACCOUNTAAAAAAAAAAA", Tokens: []string{g.token}}}})
	if old := g.sim.Swap(sim); old != nil {
		old.Close()
	}
}

// Generate adds one to three events to a stream chosen round robin.
func (g *simGenerator) Generate() []receivertest.UniqueIDAttrVal {
	n := g.next.Add(1)
	stream := simulator.Streams[n%int64(len(simulator.Streams))]
	var items []json.RawMessage
	var ids []receivertest.UniqueIDAttrVal
	for i := int64(0); i <= n%3; i++ {
		id := fmt.Sprintf("GEN%06dX%d", n, i)
		items = append(items, json.RawMessage(fmt.Sprintf(`{"uuid":%q,"timestamp":%q}`, id, time.Now().UTC().Format(time.RFC3339Nano))))
		ids = append(ids, receivertest.UniqueIDAttrVal(id))
	}
	// AddRaw is safe for concurrent use; the lock keeps one call's events
	// together, which makes a failure easier to read.
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.sim.Load().AddRaw("", stream, items...); err != nil {
		panic(err)
	}
	return ids
}
