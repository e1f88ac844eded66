package simulator

import "math/bits"

// rng is splitmix64: tiny state, fast, and good enough for test data. Every
// stored event keeps only its seed, and rendering replays the same sequence
// of draws, so an event renders identically every time it is served.
type rng struct{ s uint64 }

func newRNG(seed uint64) rng { return rng{s: seed} }

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// intn returns a value in [0, n) without modulo bias worth caring about.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// chance reports true with probability p/1000.
func (r *rng) chance(perMille int) bool { return r.intn(1000) < perMille }

// mix derives an independent seed from a base seed and a discriminator, so
// that per-account, per-stream and per-event seeds do not overlap.
func mix(seed, v uint64) uint64 {
	r := rng{s: seed ^ (v * 0xD6E8FEB86659FD93)}
	r.next()
	return r.next()
}

// mixString folds a string into a seed (FNV-1a), e.g. an account UUID.
func mixString(seed uint64, s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return mix(seed, h)
}

// weighted picks an index from cumulative weights.
type weighted struct {
	cum   []int
	total int
}

func newWeighted(weights ...int) weighted {
	w := weighted{cum: make([]int, len(weights))}
	for i, x := range weights {
		w.total += x
		w.cum[i] = w.total
	}
	return w
}

func (w *weighted) pick(r *rng) int {
	x := r.intn(w.total)
	for i, c := range w.cum {
		if x < c {
			return i
		}
	}
	return len(w.cum) - 1
}
