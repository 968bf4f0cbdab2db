package cmd

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/probe"
)

// probeAdvice is what the probe's fixes may point to in command c: the
// flags c accepts (its own and those it inherits, read from the parsed
// command, so no fix names a flag c rejects), the server's other standard
// ports (checked live before one is suggested) and the providers the
// built-in database knows to need app passwords.
func probeAdvice(c *cobra.Command) probe.Advice {
	flags := map[string]bool{}
	add := func(f *pflag.Flag) { flags[f.Name] = true }
	c.Flags().VisitAll(add)
	c.InheritedFlags().VisitAll(add)
	return probe.Advice{
		Flag:        func(name string) bool { return flags[name] },
		CheckPorts:  true,
		AppPassword: appPasswordHost,
	}
}

// setupAdvice is probeAdvice for the setup command. Run by the root
// command without a subcommand (the guided setup), setup has no parent
// and the command line the user typed accepts none of its flags, so the
// fixes name none.
func setupAdvice(c *cobra.Command) probe.Advice {
	a := probeAdvice(c)
	if !c.HasParent() {
		a.Flag = nil
	}
	return a
}

// appPasswordHost reports whether host is a server of a provider that
// the built-in database says needs app passwords.
func appPasswordHost(host string) bool {
	db, err := autoconfig.Builtin()
	return err == nil && db.NeedsAppPassword(host)
}
