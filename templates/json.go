package templates

import (
	"encoding/json"

	"github.com/mailsetup/mailsetup/account"
)

func init() { register("json", renderJSON) }

// renderJSON writes mailsetup's own JSON form of the account. The account
// model has no password field, so the file never holds one.
func renderJSON(a account.Account, _ Options) ([]File, error) {
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return nil, err
	}
	return []File{{
		Name: "account.json",
		Data: append(data, '\n'),
		Use: "mailsetup's own description of the account (no password): keep it to export the other formats " +
			"again later, or give it to whoever sets up the mail client; any JSON tool can read it.",
	}}, nil
}
