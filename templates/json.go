package templates

import (
	"encoding/json"

	"github.com/mailsetup/mailsetup/account"
)

func init() { register("json", renderJSON) }

// renderJSON writes mailsetup's own JSON form of the account. The account
// model has no password field, so the file never holds one.
func renderJSON(a account.Account, o Options) ([]File, error) {
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return nil, err
	}
	return []File{{
		Name: "account.json",
		Data: append(data, '\n'),
		Use:  o.t("use.json"),
	}}, nil
}
