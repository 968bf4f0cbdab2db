package autoconfig

import (
	"sync"

	"github.com/mailsetup/mailsetup/autoconfig/providers"
)

var builtinDB = sync.OnceValues(func() (*DB, error) { return LoadDB(providers.FS) })

// Builtin returns the provider database embedded in the binary.
func Builtin() (*DB, error) { return builtinDB() }
