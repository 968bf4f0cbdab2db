// Command mailsetup sets up e-mail accounts: it discovers settings, verifies
// servers live, explains the choices and exports configs for mail clients.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mailsetup/mailsetup/cmd"
	"github.com/mailsetup/mailsetup/internal/iostreams"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cmd.Execute(ctx, cmd.NewFactory(iostreams.System()), os.Args[1:])
	stop()
	os.Exit(code)
}
