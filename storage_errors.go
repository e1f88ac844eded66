package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"errors"
	"fmt"

	bolterrors "go.etcd.io/bbolt/errors"
	"go.opentelemetry.io/collector/component"
)

// explainStorageError says what a failure to open the receiver's storage
// means. file_storage keeps one database file per component and holds an
// exclusive lock on it; a second collector on the same directory waits for
// that lock and gives up with bbolt's bare "timeout".
func explainStorageError(err error, storageID component.ID) error {
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("storage %q: the receiver's database in that extension's directory is locked by another process, most likely another collector using the same directory; give every collector a directory of its own: %w", storageID, err)
	}
	return fmt.Errorf("storage %q: %w", storageID, err)
}
