// Package roster holds what the users source knows about an account's users
// between passes, and turns one complete pass into change and inventory
// records.
//
// A Roster maps each user id to the user's object exactly as last seen and
// whether the user was absent from the last complete pass (pending
// removal). Compare is a pure function from the stored roster and a
// complete pass to the changes and the next roster; Builder turns changes
// and inventories into log records in chunks; Marshal and Unmarshal store a
// roster compactly (its size is the sum of the users' objects plus a few
// bytes each).
package roster // import "github.com/onepassword-otel/onepasswordreceiver/internal/roster"
