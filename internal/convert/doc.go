// Package convert turns one page of the 1Password Events API (v1 or v2) into
// OpenTelemetry log records, in a single pass over the response bytes.
//
// The decoder is a hand-written byte scanner that writes straight into pdata
// values: there is no encoding/json, no map[string]any and no second parse.
// Attributes are captured while the body map is being built, from the very
// same Go strings, and emitted when the item's closing brace is reached.
//
// Memory: DecodePage copies the response once into an immutable string and
// every string value without JSON escapes (nearly all of them) is a substring
// of that copy, so strings cost no allocation. The flip side is that any string
// taken from a record keeps the whole page alive. The two values a caller is
// likely to keep for a long time, PageInfo.Cursor and the item uuid
// (log.record.uid and the body's "uuid"), are therefore copied; clone any other
// value (strings.Clone) before storing it beyond the life of the records.
package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"
