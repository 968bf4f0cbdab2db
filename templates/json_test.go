package templates

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/account"
)

func TestJSONGolden(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			files := renderOne(t, "json", f.acct, Options{Password: "secret", IncludePassword: true})
			file, ok := files["account.json"]
			if !ok || len(files) != 1 {
				t.Fatalf("files %v", files)
			}
			golden(t, "json/"+f.name+"/account.json", file.Data)
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			file := renderOne(t, "json", f.acct, Options{})["account.json"]
			if !bytes.HasSuffix(file.Data, []byte("}\n")) || bytes.HasSuffix(file.Data, []byte("\n\n")) {
				t.Errorf("no single trailing newline")
			}
			var back account.Account
			d := json.NewDecoder(bytes.NewReader(file.Data))
			d.DisallowUnknownFields()
			if err := d.Decode(&back); err != nil {
				t.Fatal(err)
			}
			if want := f.acct.Expand(); !reflect.DeepEqual(back, want) {
				t.Errorf("decoded %+v\nwant    %+v", back, want)
			}
			if strings.Contains(strings.ToLower(string(file.Data)), "password\"") {
				t.Error("a password field in the JSON")
			}
			// Independent check of the shape: the stable lower-case names.
			var m map[string]any
			if err := json.Unmarshal(file.Data, &m); err != nil {
				t.Fatal(err)
			}
			in := m["incoming"].(map[string]any)
			if in["protocol"] != f.acct.Incoming.Protocol.String() || in["port"] != float64(f.acct.Incoming.Port) ||
				in["security"] != f.acct.Incoming.Security.String() || m["email"] != f.acct.Email.String() {
				t.Errorf("shape: %v", m)
			}
		})
	}
}
