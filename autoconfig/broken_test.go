package autoconfig

import (
	"errors"
	"testing"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/mailtest"
	"github.com/mailsetup/mailsetup/probe"
)

// TestFoundBroken: a domain whose guessed servers answer but with an
// expired certificate is not "nothing found": Discover returns
// ErrFoundBroken (which is also ErrNothingFound) and lists each reached
// server with its source and reason, incoming first; a server that was not
// reached is not listed.
func TestFoundBroken(t *testing.T) {
	e := newDEnv(t)
	e.n.AddHost("imap.badcert.test", mailtest.IMAPS)
	e.n.AddHost("smtp.badcert.test", mailtest.Submissions)
	e.n.SetCertKind("imap.badcert.test", mailtest.CertExpired)
	e.n.SetCertKind("smtp.badcert.test", mailtest.CertExpired)
	res, err := e.discover(t, "jane@badcert.test", account.SourceGuess)
	if !errors.Is(err, ErrFoundBroken) || !errors.Is(err, ErrNothingFound) {
		t.Fatalf("err %v, want ErrFoundBroken", err)
	}
	if len(res.Candidates) != 0 || len(res.Broken) != 2 {
		t.Fatalf("candidates %d, broken %+v", len(res.Candidates), res.Broken)
	}
	want := []string{"imap.badcert.test:993", "smtp.badcert.test:465"}
	for i, b := range res.Broken {
		if b.Server.Address() != want[i] || b.Source != account.SourceGuess || b.Finding.Code != probe.CodeTLSCertExpired {
			t.Errorf("broken %d: %s from %s: %s (%s)", i, b.Server.Address(), b.Source, b.Finding.Message, b.Finding.Code)
		}
		if b.ReasonIn(i18n.New(i18n.EN)) == "" || b.ReasonIn(i18n.New(i18n.RO)) == b.ReasonIn(i18n.New(i18n.EN)) {
			t.Errorf("reason not localised: %q", b.ReasonIn(i18n.New(i18n.RO)))
		}
	}

	// Nothing reached at all stays plain ErrNothingFound.
	res, err = e.discover(t, "jane@nowhere.test", account.SourceGuess)
	if !errors.Is(err, ErrNothingFound) || errors.Is(err, ErrFoundBroken) || len(res.Broken) != 0 {
		t.Errorf("nothing reached: %v, broken %+v", err, res.Broken)
	}
}

// TestVerificationFailed: every candidate failing the live check is a
// failed verification; one passing, or none checked, is not.
func TestVerificationFailed(t *testing.T) {
	failed := &Candidate{Verification: &Verification{OK: false}}
	ok := &Candidate{Verification: &Verification{OK: true}}
	unchecked := &Candidate{}
	for _, tt := range []struct {
		res  *Result
		want bool
	}{
		{&Result{Candidates: []*Candidate{failed}}, true},
		{&Result{Candidates: []*Candidate{failed, unchecked}}, true},
		{&Result{Candidates: []*Candidate{failed, ok}}, false},
		{&Result{Candidates: []*Candidate{ok}, Verified: ok}, false},
		{&Result{Candidates: []*Candidate{unchecked}}, false},
		{nil, false},
	} {
		if got := tt.res.VerificationFailed(); got != tt.want {
			t.Errorf("%+v: %v, want %v", tt.res, got, tt.want)
		}
	}
}
