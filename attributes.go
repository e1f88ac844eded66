package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

const (
	// attrAccountID is the resource attribute naming the 1Password account.
	attrAccountID = "onepassword.account.id"
	// attrRecordUID is the event uuid on every record (semconv log.record.uid).
	attrRecordUID = "log.record.uid"
)
