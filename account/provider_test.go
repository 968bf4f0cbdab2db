package account

import (
	"reflect"
	"testing"
)

func TestPickText(t *testing.T) {
	ts := []Text{{Text: "English"}, {Lang: "de", Text: "Deutsch"}, {Lang: "pt-BR", Text: "Português"}, {Lang: "lt", Text: "Lietuviškai"}}
	for lang, want := range map[string]string{"lt": "Lietuviškai", "de": "Deutsch", "pt": "Português", "pt-PT": "Português", "ro": "English", "en": "English", "EN-us": "English"} {
		if got := PickText(ts, lang); got != want {
			t.Errorf("PickText(%q) = %q, want %q", lang, got, want)
		}
	}
	// No untagged text: the "en…" one, else the first.
	if got := PickText([]Text{{Lang: "pt-BR", Text: "a"}, {Lang: "en-US", Text: "b"}}, "ro"); got != "b" {
		t.Errorf("en-US fallback: %q", got)
	}
	if got := PickText([]Text{{Lang: "sr", Text: "a"}}, "ro"); got != "a" {
		t.Errorf("first fallback: %q", got)
	}
	if PickText(nil, "ro") != "" {
		t.Error("empty list")
	}
}

func TestServerMethods(t *testing.T) {
	s := Server{Auth: AuthOAuth2, Auths: []AuthMethod{AuthOAuth2, AuthPasswordCleartext}}
	if got := s.Methods(); !reflect.DeepEqual(got, []AuthMethod{AuthOAuth2, AuthPasswordCleartext}) {
		t.Errorf("Methods = %v", got)
	}
	m, ok := s.FirstMethod(AuthMethod.UsesPassword)
	if !ok || m != AuthPasswordCleartext {
		t.Errorf("FirstMethod(password) = %v %v", m, ok)
	}
	if _, ok := s.FirstMethod(func(m AuthMethod) bool { return m == AuthNTLM }); ok {
		t.Error("FirstMethod found NTLM")
	}
	// Auth changed after discovery: the stale list no longer applies.
	changed := s
	changed.Auth = AuthNTLM
	if got := changed.Methods(); !reflect.DeepEqual(got, []AuthMethod{AuthNTLM}) {
		t.Errorf("stale Methods = %v", got)
	}
	if got := (Server{}).Methods(); got != nil {
		t.Errorf("unset Methods = %v", got)
	}
	// WithAuth moves a listed method first and keeps the others.
	w := s.WithAuth(AuthPasswordCleartext)
	if w.Auth != AuthPasswordCleartext || !reflect.DeepEqual(w.Auths, []AuthMethod{AuthPasswordCleartext, AuthOAuth2}) {
		t.Errorf("WithAuth listed = %+v", w)
	}
	if w := s.WithAuth(AuthNTLM); w.Auth != AuthNTLM || w.Auths != nil {
		t.Errorf("WithAuth unlisted = %+v", w)
	}
	if !reflect.DeepEqual(s.Auths, []AuthMethod{AuthOAuth2, AuthPasswordCleartext}) {
		t.Errorf("WithAuth changed the original: %v", s.Auths)
	}
	bad := Server{Protocol: IMAP, Host: "imap.example.com", Port: 993, Security: TLS, Auth: AuthPasswordCleartext, Username: "u", Auths: []AuthMethod{AuthPasswordCleartext, 99}}
	if err := bad.Validate("incoming"); err == nil {
		t.Error("Validate accepted an unknown method in Auths")
	}
}

func TestUnexpand(t *testing.T) {
	addr := MustParseAddress("Ana.Pop@example.com")
	for _, tt := range []struct {
		user, want string
		ok         bool
	}{
		{"Ana.Pop@example.com", PlaceholderAddress, true},
		{"ana.pop@EXAMPLE.com", PlaceholderAddress, true},
		{"Ana.Pop", PlaceholderLocalPart, true},
		{"ana.pop", "ana.pop", false}, // a local part is case-sensitive
		{"admin", "admin", false},
		{"%EMAILADDRESS%", "%EMAILADDRESS%", false},
		{"", "", false},
	} {
		got, ok := Unexpand(tt.user, addr)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Unexpand(%q) = %q, %v; want %q, %v", tt.user, got, ok, tt.want, tt.ok)
		}
		if ok && Expand(got, addr, "") != addr.String() && Expand(got, addr, "") != addr.LocalPart() {
			t.Errorf("Expand(Unexpand(%q)) = %q", tt.user, Expand(got, addr, ""))
		}
	}
	if got, ok := Unexpand("x@example.com", Address{}); ok || got != "x@example.com" {
		t.Errorf("zero address: %q %v", got, ok)
	}
}
