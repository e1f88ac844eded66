package simulator

import (
	"crypto/rand"
	"encoding/binary"
)

// 1Password UUIDs are 16 random bytes in RFC 4648 base32 without padding:
// 26 characters, upper case for events, users, sessions and accounts, lower
// case for vaults, items, devices and other objects (events-api.md §7.6).
const (
	upperB32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	lowerB32 = "abcdefghijklmnopqrstuvwxyz234567"
	uuidLen  = 26
)

type uuid [uuidLen]byte

// makeUUID encodes 128 bits from the rng: 25 full 5-bit groups plus the last
// 3 bits padded with two zero bits, exactly as base32 of 16 bytes would.
func makeUUID(r *rng, alphabet string) uuid {
	var u uuid
	hi, lo := r.next(), r.next()
	for i := 0; i < 12; i++ { // 60 bits of hi
		u[i] = alphabet[(hi>>(59-5*uint(i)))&31]
	}
	// 4 remaining bits of hi + 1 bit of lo
	u[12] = alphabet[((hi&15)<<1)|(lo>>63)]
	for i := 0; i < 12; i++ { // next 60 bits of lo
		u[13+i] = alphabet[(lo>>(58-5*uint(i)))&31]
	}
	u[25] = alphabet[(lo&7)<<2]
	return u
}

func makeUUIDString(r *rng, alphabet string) string {
	u := makeUUID(r, alphabet)
	return string(u[:])
}

// randomUUID is for values that must not be predictable from the seed
// (token subjects of ad-hoc tokens).
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	r := newRNG(binary.LittleEndian.Uint64(b[:8]) ^ binary.LittleEndian.Uint64(b[8:]))
	return makeUUIDString(&r, upperB32)
}

// isUUID reports whether s looks like a 26-char base32 UUID in either case.
func isUUID(s string) bool {
	if len(s) != uuidLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}
