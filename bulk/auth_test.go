package bulk

import (
	"context"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/autoconfig"
	"github.com/mailsetup/mailsetup/templates"
)

// TestRunSkipsFormatsWithoutTheAuth: a provider whose servers accept
// OAuth2 only cannot get an Apple profile; the row's other formats are
// written and the row gets a warning, and a row whose every format is
// left out fails.
func TestRunSkipsFormatsWithoutTheAuth(t *testing.T) {
	fd := newFakeDiscoverer()
	oauthOnly := func(ctx context.Context, addr account.Address, all bool) (*autoconfig.Result, error) {
		res, err := fd.discover(ctx, addr, all)
		if err != nil {
			return nil, err
		}
		for _, c := range res.Candidates {
			c.Account.Incoming.Auth, c.Account.Outgoing.Auth = account.AuthOAuth2, account.AuthOAuth2
		}
		return res, nil
	}
	for _, tt := range []struct {
		formats []string
		status  Status
	}{
		{[]string{"apple", "json"}, StatusWarning},
		{[]string{"apple"}, StatusFailed},
	} {
		rd, err := NewReader(strings.NewReader("email\njo@oauth.test\n"), CSV, testParser)
		if err != nil {
			t.Fatal(err)
		}
		var rows []*RowResult
		dir := t.TempDir()
		if _, err := Run(context.Background(), rd, Config{Dir: dir, Formats: tt.formats, Jobs: 1, Discover: oauthOnly,
			OnRow: func(r *RowResult) { rows = append(rows, r) }}); err != nil {
			t.Fatal(err)
		}
		r := rows[0]
		if r.Status != tt.status {
			t.Errorf("%v: status %s (%+v)", tt.formats, r.Status, r)
		}
		switch tt.status {
		case StatusWarning:
			if len(r.Warnings) != 1 || r.Warnings[0].Code != templates.SkippedCode || !strings.Contains(r.Warnings[0].Message, "an Apple profile cannot use") {
				t.Errorf("warnings %+v", r.Warnings)
			}
			if got := accountJSON(t, dir, "jo@oauth.test"); !strings.Contains(got, `"auth": "oauth2"`) {
				t.Errorf("account.json:\n%s", got)
			}
		case StatusFailed:
			if len(r.Errors) != 1 || r.Errors[0].Code != "render.failed" || !strings.Contains(r.Errors[0].Message, "an Apple profile cannot use") {
				t.Errorf("errors %+v", r.Errors)
			}
		}
	}
}
