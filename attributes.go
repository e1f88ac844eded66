package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

const (
	// attrAccountID is the resource attribute naming the 1Password account.
	attrAccountID = "onepassword.account.id"
)
