package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import "sync"

// refusals is one credential's book of the units (streams, introspect)
// whose requests the API currently refuses with 401/403. Every unit of a
// source sends the same credential, so a refused token is one ERROR for the
// source, naming its units, not one per unit; each unit says at INFO when
// the API accepts it again.
type refusals struct {
	mu    sync.Mutex
	units map[string]bool
}

// refuse records that unit's credential was refused and reports whether
// that starts an episode: no other unit was refused at the time.
func (r *refusals) refuse(unit string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.units == nil {
		r.units = map[string]bool{}
	}
	first := len(r.units) == 0
	r.units[unit] = true
	return first
}

// accept records that unit's credential works again. A unit that never
// retries (introspect) is cleared with it: the credential is one.
func (r *refusals) accept(unit string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.units, unit)
	delete(r.units, introspectOperation)
}
