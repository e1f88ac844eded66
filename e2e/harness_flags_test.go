//go:build e2e

package e2e

import "flag"

// The binary under test comes from e2ekit's -otelcol flag.
var fixturesFlag = flag.String("fixtures", "../internal/convert/testdata/fixtures",
	"directory of the Events API fixtures (the copy in the repository by default)")
