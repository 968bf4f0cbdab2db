package account

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestEnumsRoundTrip(t *testing.T) {
	for p := IMAP; p <= SMTP; p++ {
		got, err := ParseProtocol(p.String())
		if err != nil || got != p {
			t.Errorf("ParseProtocol(%q) = %v, %v; want %v", p.String(), got, err, p)
		}
	}
	for s := TLS; s <= None; s++ {
		got, err := ParseSecurity(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSecurity(%q) = %v, %v; want %v", s.String(), got, err, s)
		}
	}
	for a := AuthPasswordCleartext; a <= AuthNone; a++ {
		got, err := ParseAuthMethod(a.String())
		if err != nil || got != a {
			t.Errorf("ParseAuthMethod(%q) = %v, %v; want %v", a.String(), got, err, a)
		}
		if a.Label() == "" {
			t.Errorf("%v has no label", a)
		}
	}
}

func TestEnumAliases(t *testing.T) {
	sec := map[string]Security{"SSL": TLS, "ssl/tls": TLS, "STLS": STARTTLS, "plain": None, " StartTLS ": STARTTLS}
	for in, want := range sec {
		if got, err := ParseSecurity(in); err != nil || got != want {
			t.Errorf("ParseSecurity(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got, err := ParseProtocol("POP"); err != nil || got != POP3 {
		t.Errorf("ParseProtocol(POP) = %v, %v", got, err)
	}
	if got, err := ParseAuthMethod("XOAUTH2"); err != nil || got != AuthOAuth2 {
		t.Errorf("ParseAuthMethod(XOAUTH2) = %v, %v", got, err)
	}
	for _, f := range []func(string) error{
		func(s string) error { _, err := ParseSecurity(s); return err },
		func(s string) error { _, err := ParseProtocol(s); return err },
		func(s string) error { _, err := ParseAuthMethod(s); return err },
	} {
		if err := f("bogus"); err == nil || !strings.Contains(err.Error(), `"bogus"`) {
			t.Errorf("parsing bogus: err = %v, want one naming the value", err)
		}
	}
}

func TestEnumFlagValue(t *testing.T) {
	var s Security
	if err := s.Set("starttls"); err != nil || s != STARTTLS || s.Type() != "security" {
		t.Errorf("Set(starttls) = %v, %v", s, err)
	}
	if err := s.Set("nope"); err == nil {
		t.Error("Set(nope) succeeded")
	}
}

func TestDefaultPort(t *testing.T) {
	tests := []struct {
		p    Protocol
		s    Security
		want int
	}{
		{IMAP, TLS, 993}, {IMAP, STARTTLS, 143}, {IMAP, None, 143},
		{POP3, TLS, 995}, {POP3, STARTTLS, 110}, {POP3, None, 110},
		{SMTP, TLS, 465}, {SMTP, STARTTLS, 587}, {SMTP, None, 587},
		{ProtocolUnset, TLS, 0},
	}
	for _, tt := range tests {
		if got := DefaultPort(tt.p, tt.s); got != tt.want {
			t.Errorf("DefaultPort(%v, %v) = %d, want %d", tt.p, tt.s, got, tt.want)
		}
	}
}

func validAccount() Account {
	return Account{
		Email:       MustParseAddress("jane@example.com"),
		DisplayName: "Jane Doe",
		Incoming:    Server{Protocol: IMAP, Host: "imap.example.com", Username: "%EMAILADDRESS%"}.WithDefaults(),
		Outgoing:    Server{Protocol: SMTP, Host: "smtp.example.com", Security: STARTTLS, Username: "%EMAILLOCALPART%"}.WithDefaults(),
		Provenance:  Provenance{Source: SourceManual},
	}
}

func TestValidate(t *testing.T) {
	if err := validAccount().Validate(); err != nil {
		t.Fatalf("valid account: %v", err)
	}
	tests := []struct {
		field  string
		mutate func(*Account)
	}{
		{"email", func(a *Account) { a.Email = Address{} }},
		{"incoming.host", func(a *Account) { a.Incoming.Host = "" }},
		{"incoming.host", func(a *Account) { a.Incoming.Host = "bad_host" }},
		{"incoming.host", func(a *Account) { a.Incoming.Host = "IMAP.example.com" }},
		{"incoming.port", func(a *Account) { a.Incoming.Port = 0 }},
		{"outgoing.port", func(a *Account) { a.Outgoing.Port = 70000 }},
		{"incoming.security", func(a *Account) { a.Incoming.Security = SecurityUnset }},
		{"incoming.security", func(a *Account) { a.Incoming.Security = Security(42) }},
		{"outgoing.auth", func(a *Account) { a.Outgoing.Auth = AuthUnset }},
		{"outgoing.username", func(a *Account) { a.Outgoing.Username = " " }},
		{"incoming.protocol", func(a *Account) { a.Incoming.Protocol = SMTP }},
		{"outgoing.protocol", func(a *Account) { a.Outgoing.Protocol = IMAP }},
		{"pop3", func(a *Account) { a.POP3 = &POP3Options{LeaveOnServer: true} }},
		{"pop3.days_on_server", func(a *Account) {
			a.Incoming.Protocol = POP3
			a.POP3 = &POP3Options{DaysOnServer: 7}
		}},
		{"pop3.days_on_server", func(a *Account) {
			a.Incoming.Protocol = POP3
			a.POP3 = &POP3Options{LeaveOnServer: true, DaysOnServer: MaxDaysOnServer + 1}
		}},
		{"pop3.days_on_server", func(a *Account) {
			a.Incoming.Protocol = POP3
			a.POP3 = &POP3Options{LeaveOnServer: true, DaysOnServer: math.MaxInt32}
		}},
		{"pop3.days_on_server", func(a *Account) {
			a.Incoming.Protocol = POP3
			a.POP3 = &POP3Options{LeaveOnServer: true, DaysOnServer: -1}
		}},
	}
	for _, tt := range tests {
		a := validAccount()
		tt.mutate(&a)
		err := a.Validate()
		if err == nil {
			t.Errorf("%s: Validate succeeded, want error", tt.field)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.field+": ") || !IsFieldError(err) {
			t.Errorf("Validate() = %q, want a field error starting %q", err, tt.field+": ")
		}
	}
	a := validAccount()
	a.Outgoing.Auth, a.Outgoing.Username = AuthNone, ""
	if err := a.Validate(); err != nil {
		t.Errorf("auth none without username: %v", err)
	}
	for _, days := range []int{0, 1, MaxDaysOnServer} {
		a := validAccount()
		a.Incoming.Protocol = POP3
		a.POP3 = &POP3Options{LeaveOnServer: true, DaysOnServer: days}
		if err := a.Validate(); err != nil {
			t.Errorf("%d days on the server: %v", days, err)
		}
	}
}

func TestExpand(t *testing.T) {
	addr := MustParseAddress("jane.doe@bücher.example")
	tests := []struct{ in, want string }{
		{"%EMAILADDRESS%", "jane.doe@xn--bcher-kva.example"},
		{"%EMAILLOCALPART%", "jane.doe"},
		{"imap.%EMAILDOMAIN%", "imap.xn--bcher-kva.example"},
		{"%REALNAME% <%EMAILADDRESS%>", "%EMAILDOMAIN% <jane.doe@xn--bcher-kva.example>"},
		{"%UNKNOWN%", "%UNKNOWN%"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := Expand(tt.in, addr, "%EMAILDOMAIN%"); got != tt.want {
			t.Errorf("Expand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	a := validAccount().Expand()
	if a.Incoming.Username != "jane@example.com" || a.Outgoing.Username != "jane" {
		t.Errorf("Account.Expand usernames = %q, %q", a.Incoming.Username, a.Outgoing.Username)
	}
}

func TestAccountJSON(t *testing.T) {
	a := validAccount()
	a.Incoming.Protocol = POP3
	a.Incoming.Port = DefaultPort(POP3, TLS)
	a.POP3 = &POP3Options{LeaveOnServer: true, DaysOnServer: 14}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"email":"jane@example.com","name":"Jane Doe",` +
		`"incoming":{"protocol":"pop3","host":"imap.example.com","port":995,"security":"tls","auth":"password-cleartext","username":"%EMAILADDRESS%"},` +
		`"outgoing":{"protocol":"smtp","host":"smtp.example.com","port":587,"security":"starttls","auth":"password-cleartext","username":"%EMAILLOCALPART%"},` +
		`"pop3":{"leave_on_server":true,"days_on_server":14},"provenance":{"source":"manual"}}`
	if string(b) != want {
		t.Errorf("json:\n got %s\nwant %s", b, want)
	}
	var back Account
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Email != a.Email || !reflect.DeepEqual(back.Incoming, a.Incoming) || !reflect.DeepEqual(back.Outgoing, a.Outgoing) || *back.POP3 != *a.POP3 {
		t.Errorf("round trip: got %+v, want %+v", back, a)
	}
	bad := strings.Replace(want, `"security":"tls"`, `"security":"tls13"`, 1)
	if err := json.Unmarshal([]byte(bad), &back); err == nil || !strings.Contains(err.Error(), "tls13") {
		t.Errorf("unmarshal bad security: %v", err)
	}
}

func TestValidateRejectsControlCharsInUsername(t *testing.T) {
	a := validAccount()
	a.Incoming.Username = "jane@example.com\r\nDELE 1"
	if err := a.Validate(); err == nil || !strings.HasPrefix(err.Error(), "incoming.username: ") {
		t.Errorf("Validate() = %v", err)
	}
}

// FuzzExpand checks the hand-written placeholder expansion against
// strings.Replacer, which has the documented single-pass semantics.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"%EMAILADDRESS%", "%%EMAILLOCALPART%%", "x%EMAILDOMAIN", "%REALNAME%%REALNAME%", "%", "%UNKNOWN%", "plain"} {
		f.Add(s, "Jane %EMAILADDRESS%")
	}
	addr := MustParseAddress("jane.doe@example.com")
	f.Fuzz(func(t *testing.T, s, name string) {
		want := strings.NewReplacer(PlaceholderAddress, addr.String(), PlaceholderLocalPart, addr.LocalPart(),
			PlaceholderDomain, addr.Domain(), PlaceholderRealName, name).Replace(s)
		if got := Expand(s, addr, name); got != want {
			t.Errorf("Expand(%q, %q) = %q, want %q", s, name, got, want)
		}
	})
}
